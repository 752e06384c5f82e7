namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// The one reader of JSONL input (score-file, the trainer's history files, the producer's replay): UTF-8 lines split on
/// <c>\n</c> (a trailing <c>\r</c> dropped), a UTF-8 byte-order mark at the start of the stream skipped, blank lines
/// skipped (their numbers still count), and a line longer than <see cref="MaxLineBytes"/> reported as too long without
/// being buffered, so one enormous line cannot exhaust memory. No string is made per line.
/// </summary>
/// <remarks>
/// <see cref="Current"/> is valid until the next read. A <see cref="StreamReader"/> would give the BOM handling too, but
/// as a string per line: the scorer's offline path reads millions of lines and never needs one.
/// </remarks>
public sealed class JsonlReader(Stream stream, int maxLineBytes = ContractLimits.MaxLineBytes)
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private byte[] _buffer = new byte[Math.Min(1 << 16, maxLineBytes + 1)];
    private int _start;
    private int _filled;
    private bool _atStart = true;
    private bool _ended;
    private long _skipping = -1; // while discarding an over-long line: its length so far

    public int MaxLineBytes { get; } = maxLineBytes;

    /// <summary>The current line's bytes (without the line break); empty when it was too long.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>The current line's number, counting from 1 (blank lines included).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The current line was longer than <see cref="MaxLineBytes"/>: <see cref="Current"/> is empty, <see cref="Length"/> says how long it was.</summary>
    public bool TooLong { get; private set; }

    /// <summary>The current line's length in bytes.</summary>
    public long Length { get; private set; }

    /// <summary>Moves to the next non-blank line; false at the end of the stream.</summary>
    public bool Read()
    {
        while (true)
        {
            if (TryTakeLine())
            {
                if (IsBlank())
                {
                    continue;
                }
                return true;
            }
            if (_ended)
            {
                return false;
            }
            Compact();
            var read = stream.Read(_buffer, _filled, _buffer.Length - _filled);
            Filled(read);
        }
    }

    /// <summary>Moves to the next non-blank line; false at the end of the stream.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakeLine())
            {
                if (IsBlank())
                {
                    continue;
                }
                return true;
            }
            if (_ended)
            {
                return false;
            }
            Compact();
            var read = await stream.ReadAsync(_buffer.AsMemory(_filled, _buffer.Length - _filled), cancellationToken);
            Filled(read);
        }
    }

    private bool IsBlank() => !TooLong && Current.Span.IndexOfAnyExcept(" \t"u8) < 0;

    private void Filled(int read)
    {
        if (read == 0)
        {
            _ended = true;
            return;
        }
        _filled += read;
        if (_atStart && _filled - _start >= 3)
        {
            _atStart = false;
            if (_buffer.AsSpan(_start, 3).SequenceEqual(Bom))
            {
                _start += 3;
            }
        }
    }

    /// <summary>Moves unread bytes to the front, growing the buffer up to one line's limit.</summary>
    private void Compact()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _filled - _start).CopyTo(_buffer);
            _filled -= _start;
            _start = 0;
        }
        if (_filled == _buffer.Length)
        {
            if (_buffer.Length <= MaxLineBytes)
            {
                Array.Resize(ref _buffer, (int)Math.Min((long)MaxLineBytes + 1, _buffer.Length * 2L));
            }
            else
            {
                // A line longer than allowed: forget what is buffered and keep only its length.
                _skipping = Math.Max(_skipping, 0) + _filled;
                _filled = 0;
            }
        }
    }

    private bool TryTakeLine()
    {
        if (_atStart && !_ended && _filled - _start < 3)
        {
            return false;
        }
        var pending = _buffer.AsSpan(_start, _filled - _start);
        var newline = pending.IndexOf((byte)'\n');
        if (newline < 0)
        {
            if (!_ended || (pending.IsEmpty && _skipping < 0))
            {
                return false;
            }
            newline = pending.Length; // the last line has no line break
        }
        var line = pending[..newline];
        var length = line.Length + Math.Max(_skipping, 0);
        LineNumber++;
        Length = length;
        TooLong = _skipping >= 0 || line.Length > MaxLineBytes;
        if (!TooLong && line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }
        Current = TooLong ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(_start, line.Length);
        _start += Math.Min(newline + 1, pending.Length);
        _skipping = -1;
        return true;
    }
}
