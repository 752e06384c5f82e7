namespace Fraud.Streaming.Scorer.Tests;

public sealed class RestoreBudgetTests
{
    [Fact]
    public void Partitions_of_one_assignment_share_the_budget()
    {
        var clock = new ManualClock();
        var budget = new RestoreBudget(TimeSpan.FromSeconds(10), clock);

        clock.Advance(TimeSpan.FromSeconds(6)); // the first partition: within the budget on its own
        budget.ThrowIfSpent("partition 0");
        Assert.Equal(TimeSpan.FromSeconds(4), budget.Remaining);

        clock.Advance(TimeSpan.FromSeconds(6)); // the second one also took 6 s: fine per partition, not for the callback
        var error = Assert.Throws<TimeoutException>(() => budget.ThrowIfSpent("partition 1: 42 events replayed"));
        Assert.Contains("State:RestoreTimeoutSeconds", error.Message, StringComparison.Ordinal);
        Assert.Contains("partition 1: 42 events replayed", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, budget.Remaining);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
