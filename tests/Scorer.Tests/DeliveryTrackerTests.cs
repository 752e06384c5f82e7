using Confluent.Kafka;

namespace Fraud.Streaming.Scorer.Tests;

/// <summary>The lock-free count between the scoring loop and the producer's delivery thread.</summary>
public sealed class DeliveryTrackerTests
{
    [Fact]
    public void Waits_for_every_acknowledgement_delivered_from_another_thread_batch_after_batch()
    {
        var tracker = new DeliveryTracker();
        for (var batch = 0; batch < 200; batch++)
        {
            var count = 1 + (batch * 7 % 64);
            var delivered = 0;
            var expected = new SemaphoreSlim(0);
            // Deliveries race the loop's next Expect, as the producer's thread does: some reach zero mid-batch.
            var deliverer = new Thread(() =>
            {
                for (var i = 0; i < count; i++)
                {
                    expected.Wait();
                    Interlocked.Increment(ref delivered);
                    tracker.Handler(Report(ErrorCode.NoError));
                }
            });
            deliverer.Start();
            for (var i = 0; i < count; i++)
            {
                tracker.Expect();
                expected.Release();
            }

            Assert.True(tracker.WaitAll(TimeSpan.FromSeconds(10)), $"batch {batch}: {tracker.Pending} left");

            Assert.Equal(count, Volatile.Read(ref delivered));
            Assert.Equal(0, tracker.Pending);
            deliverer.Join();
        }
    }

    [Fact]
    public void Times_out_while_a_message_is_unacknowledged_and_a_failed_delivery_throws()
    {
        var tracker = new DeliveryTracker();
        tracker.Expect();
        tracker.Expect();
        tracker.Handler(Report(ErrorCode.NoError));

        Assert.False(tracker.WaitAll(TimeSpan.FromMilliseconds(50)));

        _ = Task.Run(async () =>
        {
            await Task.Delay(50);
            tracker.Handler(Report(ErrorCode.Local_MsgTimedOut));
        });
        var ex = Assert.Throws<KafkaDeliveryFailedException>(() => tracker.WaitAll(TimeSpan.FromSeconds(10)));
        Assert.Contains("Local_MsgTimedOut", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_message_wakes_the_loop_before_the_rest_is_acknowledged()
    {
        var tracker = new DeliveryTracker();
        tracker.Expect();
        tracker.Expect();
        var message = new Message<byte[], byte[]> { Value = [1, 2, 3] };
        _ = Task.Run(async () =>
        {
            await Task.Delay(50);
            tracker.Oversized(message);
        });

        Assert.True(tracker.WaitAll(TimeSpan.FromSeconds(10)));

        Assert.Equal(1, tracker.Pending);
        Assert.True(tracker.TryTakeOversized(out var taken));
        Assert.Same(message, taken);
        Assert.False(tracker.WaitAll(TimeSpan.FromMilliseconds(20)));
    }

    private static DeliveryReport<byte[], byte[]> Report(ErrorCode code) => new()
    {
        Error = new Error(code),
        TopicPartitionOffset = new TopicPartitionOffset("fraud.verdicts", 0, 1),
        Message = new Message<byte[], byte[]>(),
    };
}
