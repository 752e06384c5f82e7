using System.Collections.Concurrent;
using Confluent.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Counts a batch's produced messages until the broker has acknowledged every one: each micro-batch has its own, so
/// the loop can wait for one batch's acknowledgements while the next one's verdicts are being produced. The delivery
/// handler runs on the producer's thread; the scoring loop waits here before committing offsets. Counting is lock-free (one
/// interlocked operation per message on either side); the loop sleeps on an event that a delivery sets only when the
/// count reaches zero or something needs the loop (a failure, an oversized message).
/// </summary>
internal sealed class DeliveryTracker
{
    private readonly ConcurrentQueue<Message<byte[], byte[]>> _oversized = new();
    private readonly ManualResetEventSlim _settled = new(false, spinCount: 0);
    private int _pending;
    private string? _failure;

    public DeliveryTracker()
    {
        Handler = OnDelivery;
        ReplaceableHandler = OnReplaceableDelivery;
    }

    /// <summary>The delivery handler to pass to every <c>Produce</c> (one cached delegate: no allocation per message).</summary>
    public Action<DeliveryReport<byte[], byte[]>> Handler { get; }

    /// <summary>
    /// As <see cref="Handler"/>, for a message its sender can replace with a smaller one: a refusal as too large is
    /// handed to <see cref="Oversized"/> instead of failing the batch.
    /// </summary>
    public Action<DeliveryReport<byte[], byte[]>> ReplaceableHandler { get; }

    /// <summary>The broker's or the client's answer to a message over a size limit.</summary>
    public static bool IsTooLarge(ErrorCode code) => code is ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge or ErrorCode.InvalidMsgSize;

    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Call before each <c>Produce</c>.</summary>
    public void Expect() => Interlocked.Increment(ref _pending);

    /// <summary>For a <c>Produce</c> that threw: its handler will never run.</summary>
    public void Cancel() => Settle();

    /// <summary>
    /// For a message the broker refused as too large, which its sender can replace with a smaller one: not a failure,
    /// and <see cref="WaitAll"/> returns so the sender can take it (<see cref="TryTakeOversized"/>) and send the other.
    /// </summary>
    public void Oversized(Message<byte[], byte[]> message)
    {
        _oversized.Enqueue(message);
        Interlocked.Decrement(ref _pending);
        _settled.Set();
    }

    /// <summary>A message handed to <see cref="Oversized"/>, to be replaced.</summary>
    public bool TryTakeOversized([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Message<byte[], byte[]>? message) => _oversized.TryDequeue(out message);

    /// <summary>Produces <paramref name="message"/>, waiting while the local queue is full; <paramref name="handler"/> is <see cref="Handler"/> unless given.</summary>
    public void Produce(IProducer<byte[], byte[]> producer, string topic, Message<byte[], byte[]> message,
        Action<DeliveryReport<byte[], byte[]>>? handler = null)
    {
        while (true)
        {
            Expect();
            try
            {
                producer.Produce(topic, message, handler ?? Handler);
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                Cancel();
                Thread.Sleep(5);
            }
            catch
            {
                Cancel();
                throw;
            }
        }
    }

    /// <summary>
    /// Blocks until every expected message is acknowledged, or one was refused as too large (<see cref="Oversized"/>):
    /// call again after replacing it.
    /// </summary>
    /// <returns>False on timeout.</returns>
    /// <exception cref="KafkaDeliveryFailedException">a message was not delivered; its offsets must not be committed.</exception>
    public bool WaitAll(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Settled())
        {
            // Reset, then look again: a delivery that settled the batch between the look and the reset is seen by the
            // second look, and one after it sets the event this waits on.
            _settled.Reset();
            if (Settled())
            {
                break;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_settled.Wait(left))
            {
                return false;
            }
        }
        var failure = Volatile.Read(ref _failure);
        return failure is null ? true : throw new KafkaDeliveryFailedException(failure);
    }

    private bool Settled() => Volatile.Read(ref _pending) <= 0 || Volatile.Read(ref _failure) is not null || !_oversized.IsEmpty;

    private void OnReplaceableDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError && IsTooLarge(report.Error.Code))
        {
            Oversized(report.Message);
            return;
        }
        OnDelivery(report);
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.CompareExchange(ref _failure, $"delivery to {report.TopicPartition} failed: {report.Error.Code}: {report.Error.Reason}", null);
            Settle();
            return;
        }
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _settled.Set();
        }
    }

    private void Settle()
    {
        Interlocked.Decrement(ref _pending);
        _settled.Set();
    }
}

/// <summary>The broker did not take a verdict or DLQ message; committing past it would lose data.</summary>
internal sealed class KafkaDeliveryFailedException(string message) : Exception(message);
