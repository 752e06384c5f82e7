using System.Buffers.Binary;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// Parses PostgreSQL's binary COPY format (<c>COPY ... TO STDOUT (FORMAT BINARY)</c>) straight from the bytes of
/// the stream: a header, then per row an int16 field count and per field an int32 length (-1 for NULL) and the
/// value in network byte order. Reading the raw stream instead of Npgsql's per-column exporter takes the async
/// call, the type lookup and the boxing out of every field, which is what bounded the history rate.
/// </summary>
/// <remarks>A row is parsed only when all its bytes are in the buffer, so a caller never sees half a row.</remarks>
internal ref struct PgBinaryCopyParser(ReadOnlySpan<byte> buffer)
{
    private static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;
    private int _rowEnd;

    /// <summary>Bytes consumed by the header and the complete rows read so far.</summary>
    public readonly int Consumed => _position;

    /// <summary>Reads the file header; false when the buffer does not hold all of it yet.</summary>
    /// <exception cref="InvalidDataException">the bytes are not binary COPY output.</exception>
    public bool TryReadHeader()
    {
        const int fixedLength = 11 + 4 + 4;
        if (_buffer.Length < fixedLength)
        {
            return false;
        }
        if (!_buffer[..11].SequenceEqual(Signature))
        {
            throw new InvalidDataException("history stream is not PostgreSQL binary COPY output (bad signature)");
        }
        var extension = BinaryPrimitives.ReadInt32BigEndian(_buffer[15..]);
        if (extension < 0 || _buffer.Length < fixedLength + extension)
        {
            return extension >= 0 ? false : throw new InvalidDataException("binary COPY header extension has a negative length");
        }
        _position = fixedLength + extension;
        return true;
    }

    /// <summary>
    /// Starts the next row if all of it is in the buffer: true with its field count, or -1 for the trailer; false
    /// when more bytes are needed (nothing is consumed).
    /// </summary>
    public bool TryStartRow(out int fieldCount)
    {
        fieldCount = 0;
        var rest = _buffer[_position..];
        if (rest.Length < 2)
        {
            return false;
        }
        fieldCount = BinaryPrimitives.ReadInt16BigEndian(rest);
        if (fieldCount == -1)
        {
            _rowEnd = _position + 2;
            return true;
        }
        // Walk the field lengths once to see whether the whole row is here.
        var offset = 2;
        for (var i = 0; i < fieldCount; i++)
        {
            if (rest.Length < offset + 4)
            {
                return false;
            }
            var length = BinaryPrimitives.ReadInt32BigEndian(rest[offset..]);
            offset += 4 + Math.Max(length, 0);
        }
        if (rest.Length < offset)
        {
            return false;
        }
        _rowEnd = _position + offset;
        _position += 2;
        return true;
    }

    /// <summary>Marks the row started by <see cref="TryStartRow"/> as consumed.</summary>
    public void EndRow() => _position = _rowEnd;

    /// <summary>The next field's bytes; empty and <paramref name="isNull"/> for NULL.</summary>
    public ReadOnlySpan<byte> Field(out bool isNull)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(_buffer[_position..]);
        _position += 4;
        isNull = length < 0;
        if (isNull)
        {
            return default;
        }
        var value = _buffer.Slice(_position, length);
        _position += length;
        return value;
    }

    /// <exception cref="InvalidDataException">the field is NULL.</exception>
    public ReadOnlySpan<byte> NotNull(string column)
    {
        var value = Field(out var isNull);
        return isNull ? throw new InvalidDataException($"history column {column} is NULL") : value;
    }

    /// <summary>A <c>timestamptz</c>: microseconds since 2000-01-01 UTC, as .NET ticks since 0001-01-01.</summary>
    public long TimestampTicks(string column) => Ticks(column, NotNull(column));

    /// <summary>A nullable <c>timestamptz</c> as ticks (<see cref="TimestampTicks"/>); null for NULL.</summary>
    public long? NullableTimestampTicks(string column)
    {
        var value = Field(out var isNull);
        return isNull ? null : Ticks(column, value);
    }

    private static long Ticks(string column, ReadOnlySpan<byte> value)
    {
        if (value.Length != 8)
        {
            throw new InvalidDataException($"history column {column} is not a timestamptz ({value.Length} bytes)");
        }
        var micros = BinaryPrimitives.ReadInt64BigEndian(value);
        return micros is >= MinMicros and <= MaxMicros
            ? PostgresEpochTicks + (micros * TimeSpan.TicksPerMicrosecond)
            : throw new InvalidDataException($"history column {column} is out of range ({micros} µs from 2000-01-01, e.g. infinity)");
    }

    public double Float8(string column)
    {
        var value = NotNull(column);
        return value.Length == 8
            ? BinaryPrimitives.ReadDoubleBigEndian(value)
            : throw new InvalidDataException($"history column {column} is not a double precision ({value.Length} bytes)");
    }

    /// <summary>A nullable boolean.</summary>
    public bool? Bool()
    {
        var value = Field(out var isNull);
        return isNull ? null : value[0] != 0;
    }

    private const long PostgresEpochTicks = 630_822_816_000_000_000; // 2000-01-01T00:00:00Z
    private const long MinMicros = -PostgresEpochTicks / TimeSpan.TicksPerMicrosecond;
    private const long MaxMicros = (3_155_378_975_999_999_999 - PostgresEpochTicks) / TimeSpan.TicksPerMicrosecond; // DateTime.MaxValue
}
