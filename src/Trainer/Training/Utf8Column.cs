using System.Collections;
using System.Text;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// A column of texts (transaction ids) as UTF-8 bytes in one array with an end offset per row: millions of ids
/// as separate strings were millions of objects for every full garbage collection to walk while the training
/// table was being built. Reads as strings (decoded on access) where a caller needs them.
/// </summary>
internal sealed class Utf8Column : IReadOnlyList<string>
{
    private readonly byte[] _bytes;
    private readonly int[] _ends;

    private Utf8Column(byte[] bytes, int[] ends)
    {
        _bytes = bytes;
        _ends = ends;
    }

    public int Count => _ends.Length;

    /// <summary>Row <paramref name="index"/>'s text, decoded.</summary>
    public string this[int index] => Encoding.UTF8.GetString(Bytes(index));

    /// <summary>Row <paramref name="index"/>'s UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> Bytes(int index)
    {
        var start = index == 0 ? 0 : _ends[index - 1];
        return _bytes.AsSpan(start, _ends[index] - start);
    }

    /// <summary>Rows [start, start + count) as a column of their own.</summary>
    public Utf8Column Slice(int start, int count)
    {
        var from = start == 0 ? 0 : _ends[start - 1];
        var to = count == 0 ? from : _ends[start + count - 1];
        var ends = new int[count];
        for (var i = 0; i < count; i++)
        {
            ends[i] = _ends[start + i] - from;
        }
        return new(_bytes.AsSpan(from, to - from).ToArray(), ends);
    }

    /// <summary>The rows <paramref name="rows"/> (ascending or not), in that order, as a column of their own.</summary>
    public Utf8Column Pick(IReadOnlyList<int> rows)
    {
        var builder = new Builder();
        foreach (var row in rows)
        {
            builder.Add(Bytes(row));
        }
        return builder.Build(0);
    }

    /// <summary>A column of <paramref name="texts"/> (null reads back as the empty string).</summary>
    public static Utf8Column From(IEnumerable<string?> texts)
    {
        var builder = new Builder();
        foreach (var text in texts)
        {
            builder.Add(Encoding.UTF8.GetBytes(text ?? string.Empty));
        }
        return builder.Build(0);
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Appends rows; <see cref="Build"/> takes the rows from a given one on.</summary>
    public sealed class Builder
    {
        private byte[] _bytes = new byte[1 << 16];
        private int[] _ends = new int[1 << 12];
        private int _used;

        public int Count { get; private set; }

        public void Add(ReadOnlySpan<byte> utf8)
        {
            if (_used + utf8.Length > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + utf8.Length));
            }
            if (Count == _ends.Length)
            {
                Array.Resize(ref _ends, Count * 2);
            }
            utf8.CopyTo(_bytes.AsSpan(_used));
            _used += utf8.Length;
            _ends[Count++] = _used;
        }

        /// <summary>Rows [<paramref name="first"/>, Count) as a column.</summary>
        public Utf8Column Build(int first) => new Utf8Column(_bytes, _ends.AsSpan(0, Count).ToArray()).Slice(first, Count - first);
    }
}
