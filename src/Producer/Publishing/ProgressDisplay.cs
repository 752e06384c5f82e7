using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Producer.Publishing;

/// <summary>
/// Where publishing progress goes: on a terminal, one status line redrawn in place (rate, totals, delivery
/// errors); otherwise (a pipe, a log collector, CI) plain periodic log lines.
/// </summary>
internal sealed class ProgressDisplay(ILogger logger, TextWriter terminal, bool interactive)
{
    private bool _drawn;

    /// <summary>Interactive when standard error is a terminal and not redirected.</summary>
    public static ProgressDisplay ForConsole(ILogger logger) => new(logger, Console.Error, !Console.IsErrorRedirected);

    public bool Interactive => interactive;

    /// <summary>A live line wants frequent refreshes; log lines every few seconds are plenty.</summary>
    public TimeSpan Interval => interactive ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(5);

    public void Report(long transactions, long labels, long malformed, long errors, double rate, int inFlight)
    {
        if (!interactive)
        {
            ProducerLog.Progress(logger, transactions, labels, malformed, errors, rate, inFlight);
            return;
        }
        // Carriage return to redraw, erase-to-end-of-line for a line that got shorter.
        terminal.Write($"\r{Format(transactions, labels, malformed, errors, rate, inFlight)}\u001b[K");
        terminal.Flush();
        _drawn = true;
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

    internal static string Format(long transactions, long labels, long malformed, long errors, double rate, int inFlight) =>
        string.Create(CultureInfo.InvariantCulture,
            $"publishing {rate,9:N0} tx/s | transactions {transactions,12:N0} | labels {labels,12:N0} | malformed {malformed:N0} | errors {errors:N0} | in flight {inFlight:N0}");
}
