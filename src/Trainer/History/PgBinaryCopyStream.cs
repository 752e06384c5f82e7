using System.Buffers;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// Reads one row of a binary COPY; the row's fields are consumed in order from <paramref name="row"/>. Returns
/// false to stop after this row (the rows after it stay for the next <see cref="PgBinaryCopyStream.ReadRows"/>).
/// </summary>
internal delegate bool CopyRowReader<in TState>(ref PgBinaryCopyParser row, TState state);

/// <summary>
/// The bytes of a binary COPY (<c>NpgsqlConnection.BeginRawBinaryCopy</c>) in a pooled buffer, handed to a
/// <see cref="CopyRowReader{TState}"/> a bufferful of complete rows at a time.
/// </summary>
/// <remarks>
/// <para>Reads block: the trainer is a batch job with one reader, and an awaited read on a 2-core machine spun a
/// thread-pool worker while the Postgres backend, on the same cores, was still producing the rows.</para>
/// <para>Npgsql returns at most one COPY message (one row) per read, so reads are repeated until
/// <see cref="FillBytes"/> bytes are buffered before any row is parsed: the per-call work of parsing is paid per
/// bufferful, not per row.</para>
/// </remarks>
internal sealed class PgBinaryCopyStream(Stream copy, int columns) : IDisposable
{
    /// <summary>Bytes gathered before parsing.</summary>
    public const int FillBytes = 64 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private int _filled;
    private bool _headerRead;
    private bool _rowsLeft;
    private bool _ended;

    /// <summary>True once the trailer has been read.</summary>
    public bool Finished { get; private set; }

    /// <summary>
    /// Reads more bytes (unless complete rows are still waiting) and passes the complete rows in the buffer to
    /// <paramref name="reader"/>, until it asks to stop.
    /// </summary>
    /// <exception cref="InvalidDataException">the stream is not binary COPY output with <c>columns</c> columns, or ends early.</exception>
    public void ReadRows<TState>(CopyRowReader<TState> reader, TState state)
    {
        if (!_rowsLeft)
        {
            Fill();
        }
        var parser = new PgBinaryCopyParser(_buffer.AsSpan(0, _filled));
        if (!_headerRead)
        {
            if (!parser.TryReadHeader())
            {
                ThrowIfEnded();
                return;
            }
            _headerRead = true;
        }
        _rowsLeft = false;
        var any = false;
        while (parser.TryStartRow(out var fields))
        {
            any = true;
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
            var more = reader(ref parser, state);
            parser.EndRow();
            if (!more)
            {
                _rowsLeft = true;
                break;
            }
        }
        if (!any && !Finished)
        {
            ThrowIfEnded();
        }
        var consumed = parser.Consumed;
        _buffer.AsSpan(consumed, _filled - consumed).CopyTo(_buffer);
        _filled -= consumed;
    }

    private void Fill()
    {
        if (_filled == _buffer.Length)
        {
            // One row larger than the buffer: grow it.
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _filled).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        var target = Math.Min(_buffer.Length, _filled + FillBytes);
        do
        {
            var read = copy.Read(_buffer.AsSpan(_filled));
            if (read == 0)
            {
                _ended = true;
                break;
            }
            _filled += read;
        }
        while (_filled < target);
    }

    private void ThrowIfEnded()
    {
        if (_ended)
        {
            throw new InvalidDataException("history COPY stream ended without its trailer");
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
