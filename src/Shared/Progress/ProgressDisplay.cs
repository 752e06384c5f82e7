namespace Fraud.Streaming.Shared.Progress;

/// <summary>
/// Where progress of long work goes: on a terminal, one status line redrawn in place; otherwise (a pipe, a log
/// collector, CI) plain periodic log lines. The producer reports publishing rates with it, the trainer boosting
/// rounds, so both behave the same on a terminal and in a log.
/// </summary>
/// <param name="terminal">Where the live line is drawn (standard error on a console).</param>
/// <param name="interactive">True draws the live line; false hands every report to <paramref name="log"/>.</param>
/// <param name="log">Writes one plain progress line (a logger, or a text writer) when not interactive.</param>
public sealed class ProgressDisplay(TextWriter terminal, bool interactive, Action<string> log)
{
    private bool _drawn;
    private long _lastReportTicks = long.MinValue;

    /// <summary>Interactive when standard error is a terminal and not redirected.</summary>
    public static ProgressDisplay ForConsole(Action<string> log) => new(Console.Error, !Console.IsErrorRedirected, log);

    /// <summary>Whether reports redraw a live line rather than go to the log.</summary>
    public bool Interactive => interactive;

    /// <summary>A live line wants frequent refreshes; log lines every few seconds are plenty.</summary>
    public TimeSpan Interval => interactive ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(5);

    /// <summary>Shows <paramref name="status"/> now: redraws the live line, or writes one log line.</summary>
    public void Report(string status)
    {
        _lastReportTicks = Environment.TickCount64;
        if (!interactive)
        {
            log(status);
            return;
        }
        // Carriage return to redraw, erase-to-end-of-line for a line that got shorter.
        terminal.Write($"\r{status}\u001b[K");
        terminal.Flush();
        _drawn = true;
    }

    /// <summary>
    /// For callers that get an update per step (a boosting round): reports when <see cref="Interval"/> has passed
    /// since the last report, or when <paramref name="force"/> is set (the first and last step). The status is
    /// only formatted when it is shown.
    /// </summary>
    /// <returns>Whether it was shown.</returns>
    public bool ReportThrottled(Func<string> status, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (!force && _lastReportTicks != long.MinValue
            && Environment.TickCount64 - _lastReportTicks < (long)Interval.TotalMilliseconds)
        {
            return false;
        }
        Report(status());
        return true;
    }

    /// <summary>Ends the live line so whatever is printed next starts on a line of its own.</summary>
    public void Finish()
    {
        if (_drawn)
        {
            terminal.WriteLine();
            _drawn = false;
        }
    }
}
