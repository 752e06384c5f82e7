using Fraud.Streaming.Producer.Publishing;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Producer.Tests;

public sealed class LabelScheduleTests
{
    private static Label L(string id) => new() { TransactionId = id, CardId = "c", IsFraud = false, LabelledAt = DateTimeOffset.UnixEpoch, Source = "matured" };

    [Fact]
    public void Labels_come_due_earliest_first_and_ties_keep_publishing_order()
    {
        var schedule = new LabelSchedule();
        schedule.Enqueue(30, L("late"));
        schedule.Enqueue(10, L("a"));
        schedule.Enqueue(10, L("b"));
        Assert.Equal(10, schedule.NextDue);
        Assert.Equal(["a", "b", "late"], [schedule.Dequeue().TransactionId, schedule.Dequeue().TransactionId, schedule.Dequeue().TransactionId]);
        Assert.Equal(long.MaxValue, schedule.NextDue);
    }
}
