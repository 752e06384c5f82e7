using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Producer.Tests;

/// <summary>
/// The producer process says when it did not do what it was asked: messages not delivered, a run whose times the
/// consumers would refuse, an output that would overwrite its input. Each is a non-zero exit, never a silent 0.
/// </summary>
public sealed class HonestExitTests
{
    private static ProcessRunner Producer(params string[] args) =>
        ProcessRunner.StartDotnet(RepoPaths.BuiltAssembly("src/Producer", "Fraud.Streaming.Producer"), args,
            new Dictionary<string, string?> { ["DOTNET_gcServer"] = "0" });

    [Fact]
    public async Task An_unreachable_broker_exits_non_zero_counting_what_was_not_delivered()
    {
        await using var producer = Producer("synthetic", "--count", "50", "--bootstrap", "127.0.0.1:1", "--label-delay-seconds", "0");
        var code = await producer.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(ExitCodes.KafkaFailed, code);
        var summary = producer.Lines.Last(l => l.Text.StartsWith("produced ", StringComparison.Ordinal)).Text;
        Assert.Contains("transactions=0 labels=0", summary, StringComparison.Ordinal);
        Assert.Matches(@"undelivered=\d*[1-9]", summary);
    }

    [Fact]
    public async Task A_run_whose_times_would_pass_the_consumers_window_is_refused_before_it_starts()
    {
        using var dir = new TempDirectory();
        // Ten years of event time from the synthetic world's start (2026) reach far past now.
        await using var producer = Producer("synthetic", "--count", "1000", "--span-days", "3650", "--out-dir", dir.Path);
        Assert.Equal(ExitCodes.BadUsage, await producer.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(producer.Lines, l => l.IsError && l.Text.StartsWith("error: this run's event times reach", StringComparison.Ordinal));
        Assert.False(File.Exists(dir.File("transactions.jsonl")));
    }

    [Fact]
    public async Task Replaying_a_file_into_its_own_folder_is_refused_and_the_input_kept()
    {
        using var dir = new TempDirectory();
        var input = dir.File("transactions.jsonl");
        File.WriteAllText(input, "{}\n");
        await using var producer = Producer("replay", "--format", "jsonl", "--input", input, "--out-dir", dir.Path);
        Assert.Equal(ExitCodes.BadUsage, await producer.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(producer.Lines, l => l.IsError && l.Text.Contains("same file as --input", StringComparison.Ordinal));
        Assert.Equal("{}\n", File.ReadAllText(input));
    }

    [Fact]
    public void The_time_plan_covers_labels_and_scenarios_and_accepts_the_defaults()
    {
        var now = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(SyntheticTimePlan.Problem(new SyntheticSettings { Count = 1_000_000 }, 1_000_000, TimeSpan.FromDays(1), now));
        // The README's streaming example: 300 s at 2000 tx/s, event time 20160x wall time.
        Assert.Null(SyntheticTimePlan.Problem(new SyntheticSettings { MeanGapSeconds = 20160d / 2000 }, 600_000, TimeSpan.FromDays(1), now));
        var (lastEvent, lastLabel) = SyntheticTimePlan.Of(new SyntheticSettings { Count = 10_000 }, 10_000);
        Assert.True(lastEvent >= SyntheticSettings.DefaultStart.AddDays(14));
        Assert.Equal(TimeSpan.FromDays(SyntheticGenerator.MaturityDays), lastLabel - lastEvent);
        Assert.NotNull(SyntheticTimePlan.Problem(new SyntheticSettings { Start = now.AddDays(-30) }, 10_000, TimeSpan.FromDays(1), now));
    }
}
