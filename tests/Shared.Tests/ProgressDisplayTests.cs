using Fraud.Streaming.Shared.Progress;

namespace Fraud.Streaming.Shared.Tests;

public sealed class ProgressDisplayTests
{
    [Fact]
    public void On_a_terminal_progress_redraws_one_line_and_finish_ends_it()
    {
        var terminal = new StringWriter();
        var logged = new List<string>();
        var display = new ProgressDisplay(terminal, interactive: true, logged.Add);

        display.Report("step 1 of 2");
        display.Report("step 2 of 2, done");
        display.Finish();

        var text = terminal.ToString();
        Assert.Equal(2, text.Count(c => c == '\r'));
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        Assert.StartsWith("step 2 of 2, done\u001b[K", text.Split('\r')[^1], StringComparison.Ordinal);
        Assert.Empty(logged);
        Assert.Equal(TimeSpan.FromMilliseconds(250), display.Interval);
    }

    [Fact]
    public void Off_a_terminal_nothing_is_drawn_and_progress_goes_to_the_log_every_few_seconds()
    {
        var terminal = new StringWriter();
        var logged = new List<string>();
        var display = new ProgressDisplay(terminal, interactive: false, logged.Add);
        display.Report("round 1");
        display.Finish();
        Assert.Equal(string.Empty, terminal.ToString());
        Assert.Equal(["round 1"], logged);
        Assert.Equal(TimeSpan.FromSeconds(5), display.Interval);
    }

    [Fact]
    public void Throttled_reports_show_the_first_then_wait_for_the_interval_unless_forced()
    {
        var logged = new List<string>();
        var display = new ProgressDisplay(TextWriter.Null, interactive: false, logged.Add);
        var formatted = 0;

        Assert.True(display.ReportThrottled(() => $"r{++formatted}"));
        Assert.False(display.ReportThrottled(() => $"r{++formatted}"));
        Assert.True(display.ReportThrottled(() => $"r{++formatted}", force: true));

        Assert.Equal(["r1", "r2"], logged);
        Assert.Equal(2, formatted); // the skipped status was never formatted
    }
}
