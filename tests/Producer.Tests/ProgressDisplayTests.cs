using Fraud.Streaming.Producer.Publishing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fraud.Streaming.Producer.Tests;

public sealed class ProgressDisplayTests
{
    [Fact]
    public void On_a_terminal_progress_redraws_one_line_and_finish_ends_it()
    {
        var terminal = new StringWriter();
        var display = new ProgressDisplay(NullLogger.Instance, terminal, interactive: true);

        display.Report(1_000, 900, 1, 0, 1_500.4, 12);
        display.Report(2_500, 2_400, 2, 3, 1_499.6, 7);
        display.Finish();

        var text = terminal.ToString();
        Assert.Equal(2, text.Count(c => c == '\r'));
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        var last = text.Split('\r')[^1];
        Assert.Contains("2,500", last, StringComparison.Ordinal);
        Assert.Contains("errors 3", last, StringComparison.Ordinal);
        Assert.Contains("1,500 tx/s", last, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMilliseconds(250), display.Interval);
    }

    [Fact]
    public void Off_a_terminal_nothing_is_drawn_and_progress_goes_to_the_log_every_few_seconds()
    {
        var terminal = new StringWriter();
        var display = new ProgressDisplay(NullLogger.Instance, terminal, interactive: false);
        display.Report(1, 1, 0, 0, 1, 0);
        display.Finish();
        Assert.Equal(string.Empty, terminal.ToString());
        Assert.Equal(TimeSpan.FromSeconds(5), display.Interval);
    }
}
