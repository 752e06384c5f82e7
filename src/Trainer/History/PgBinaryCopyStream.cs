using System.Buffers;

namespace Fraud.Streaming.Trainer.History;

/// <summary>Reads one row of a binary COPY; the row's fields are consumed in order from <paramref name="row"/>.</summary>
internal delegate void CopyRowReader<in TState>(ref PgBinaryCopyParser row, TState state);

/// <summary>
/// The bytes of a binary COPY (<c>NpgsqlConnection.BeginRawBinaryCopy</c>) in a pooled buffer, handed to a
/// <see cref="CopyRowReader{TState}"/> a bufferful of complete rows at a time.
/// </summary>
/// <remarks>
/// Reads block: the trainer is a batch job with one reader, and an awaited read on a 2-core machine spun a
/// thread-pool worker while the Postgres backend, on the same cores, was still producing the rows.
/// </remarks>
internal sealed class PgBinaryCopyStream(Stream copy, int columns) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private int _filled;
    private bool _headerRead;

    /// <summary>True once the trailer has been read.</summary>
    public bool Finished { get; private set; }

    /// <summary>Reads more bytes and passes every complete row in the buffer to <paramref name="reader"/>.</summary>
    /// <exception cref="InvalidDataException">the stream is not binary COPY output with <c>columns</c> columns, or ends early.</exception>
    public void ReadRows<TState>(CopyRowReader<TState> reader, TState state)
    {
        if (_filled == _buffer.Length)
        {
            // One row larger than the buffer: grow it.
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _filled).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        var read = copy.Read(_buffer.AsSpan(_filled));
        if (read == 0)
        {
            throw new InvalidDataException("history COPY stream ended without its trailer");
        }
        _filled += read;
        var parser = new PgBinaryCopyParser(_buffer.AsSpan(0, _filled));
        if (!_headerRead)
        {
            if (!parser.TryReadHeader())
            {
                return;
            }
            _headerRead = true;
        }
        while (parser.TryStartRow(out var fields))
        {
            if (fields == -1)
            {
                parser.EndRow();
                Finished = true;
                break;
            }
            if (fields != columns)
            {
                throw new InvalidDataException($"history COPY row has {fields} columns, expected {columns}");
            }
            reader(ref parser, state);
            parser.EndRow();
        }
        var consumed = parser.Consumed;
        _buffer.AsSpan(consumed, _filled - consumed).CopyTo(_buffer);
        _filled -= consumed;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
