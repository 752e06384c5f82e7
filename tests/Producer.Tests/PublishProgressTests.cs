using Fraud.Streaming.Producer.Publishing;
using Fraud.Streaming.Shared.Progress;

namespace Fraud.Streaming.Producer.Tests;

public sealed class PublishProgressTests
{
    [Fact]
    public void The_status_line_shows_rate_totals_and_errors()
    {
        var line = PublishProgress.Format(2_500, 2_400, 2, 3, 1_499.6, 7);
        Assert.Contains("2,500", line, StringComparison.Ordinal);
        Assert.Contains("errors 3", line, StringComparison.Ordinal);
        Assert.Contains("1,500 tx/s", line, StringComparison.Ordinal);
        Assert.Contains("in flight 7", line, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_terminal_the_publisher_status_redraws_in_place()
    {
        var terminal = new StringWriter();
        var display = new ProgressDisplay(terminal, interactive: true, _ => Assert.Fail("logged on a terminal"));
        display.Report(PublishProgress.Format(1_000, 900, 1, 0, 1_500.4, 12));
        display.Report(PublishProgress.Format(2_500, 2_400, 2, 3, 1_499.6, 7));
        display.Finish();
        var last = terminal.ToString().Split('\r')[^1];
        Assert.Contains("2,500", last, StringComparison.Ordinal);
    }
}
