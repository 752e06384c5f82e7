using System.Globalization;

namespace Fraud.Streaming.DataSets.Replay;

/// <summary>
/// How a CSV column reads as an event time: <c>iso</c> (ISO 8601 / RFC 3339; without an offset, UTC), <c>epoch-seconds</c>,
/// <c>epoch-millis</c>, <c>offset-seconds</c> (seconds after <c>--start</c>, as IEEE-CIS <c>TransactionDT</c>), or any other
/// text as a .NET date pattern read in UTC (<c>dd/MM/yyyy HH:mm</c>).
/// </summary>
public sealed class CsvTimeFormat
{
    private const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
    private readonly string _format;

    private CsvTimeFormat(string format, DateTimeOffset start)
    {
        _format = format;
        Start = start;
    }

    public DateTimeOffset Start { get; }

    /// <summary>The named formats; anything else is a date pattern.</summary>
    public static readonly string[] Named = ["iso", "epoch-seconds", "epoch-millis", "offset-seconds"];

    /// <summary>A format by name or pattern; false with a reason when the pattern is not one .NET can use.</summary>
    public static bool TryCreate(string format, DateTimeOffset start, out CsvTimeFormat result, out string error)
    {
        result = new CsvTimeFormat(format, start);
        error = string.Empty;
        if (Array.IndexOf(Named, format) >= 0)
        {
            return true;
        }
        try
        {
            _ = DateTimeOffset.UnixEpoch.ToString(format, CultureInfo.InvariantCulture);
            return true;
        }
        catch (FormatException)
        {
            error = $"--time-format '{format}' is neither {string.Join(", ", Named)} nor a date pattern such as \"yyyy-MM-dd HH:mm:ss\"";
            return false;
        }
    }

    /// <summary>The event time a cell holds; false with a reason naming the format otherwise.</summary>
    public bool TryParse(string text, out DateTimeOffset time, out string error)
    {
        error = string.Empty;
        var value = text.Trim();
        var ok = _format switch
        {
            "iso" => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, Utc, out time),
            "epoch-seconds" => TryNumber(value, out var s) & TryMillis(s * 1000, DateTimeOffset.UnixEpoch, out time),
            "epoch-millis" => TryNumber(value, out var ms) & TryMillis(ms, DateTimeOffset.UnixEpoch, out time),
            "offset-seconds" => TryNumber(value, out var offset) & TryMillis(offset * 1000, Start, out time),
            _ => DateTimeOffset.TryParseExact(value, _format, CultureInfo.InvariantCulture, Utc, out time),
        };
        if (!ok)
        {
            error = $"event_time '{text}' is not {Describe()}";
        }
        return ok;
    }

    private string Describe() => _format switch
    {
        "iso" => "an ISO 8601 time",
        "epoch-seconds" => "a number of seconds since 1970-01-01",
        "epoch-millis" => "a number of milliseconds since 1970-01-01",
        "offset-seconds" => "a non-negative number of seconds after --start",
        _ => $"a time of the pattern \"{_format}\"",
    };

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool TryMillis(double millis, DateTimeOffset from, out DateTimeOffset time)
    {
        time = default;
        // Before the epoch is a time; before --start is not an offset.
        if (!double.IsFinite(millis) || (millis < 0 && from != DateTimeOffset.UnixEpoch))
        {
            return false;
        }
        // Whole and fractional milliseconds apart: ticks since 1970 exceed what a double holds to the tick.
        var whole = Math.Floor(millis);
        if (Math.Abs(whole) > (DateTimeOffset.MaxValue.UtcTicks / TimeSpan.TicksPerMillisecond))
        {
            return false;
        }
        var ticks = from.UtcTicks + ((long)whole * TimeSpan.TicksPerMillisecond) + (long)Math.Round((millis - whole) * TimeSpan.TicksPerMillisecond);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }
        time = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}
