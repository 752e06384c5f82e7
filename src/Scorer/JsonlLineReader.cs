namespace Fraud.Streaming.Scorer;

/// <summary>Splits a UTF-8 stream into lines without a string per line; lines are valid only during the callback.</summary>
internal static class JsonlLineReader
{
    public delegate void LineHandler(ReadOnlySpan<byte> line, long lineNumber);

    public static async Task ReadAsync(Stream stream, LineHandler onLine, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        var filled = 0;
        long lineNumber = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                if (filled > 0)
                {
                    onLine(Trim(buffer.AsSpan(0, filled)), ++lineNumber);
                }
                return;
            }
            filled += read;
            var start = 0;
            while (true)
            {
                var newline = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }
                onLine(Trim(buffer.AsSpan(start, newline)), ++lineNumber);
                start += newline + 1;
            }
            buffer.AsSpan(start, filled - start).CopyTo(buffer);
            filled -= start;
        }
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
