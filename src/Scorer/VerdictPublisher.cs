using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Produces a scored micro-batch's verdicts off the scoring loop's thread, while the loop reads the next batch: explains
/// the rows that ask for reasons (<see cref="PendingVerdicts"/>), then produces every verdict in order, keyed by card,
/// counted in the batch's own <see cref="DeliveryTracker"/>. One batch at a time: the loop finishes one
/// (<see cref="Finish"/>) before it starts the next, so verdicts leave in the order their batches were scored and each
/// card's verdicts keep their order.
/// </summary>
internal sealed class VerdictPublisher(IProducer<byte[], byte[]> producer, string topic)
{
    private readonly ReasonBuilder _reasons = new(BatchScorer.ReasonCount);
    private readonly VerdictJson _json = new();
    private readonly Message<byte[], byte[]> _message = new();

    /// <summary>Passed when a verdict has no trace headers: the client makes an empty set per message otherwise.</summary>
    private readonly Headers _noHeaders = new();
    private Task? _publishing;

    /// <summary>The batch started last is produced (or failed): <see cref="Finish"/> will not wait.</summary>
    public bool IsDone => _publishing is null or { IsCompleted: true };

    /// <summary>Starts producing <paramref name="batch"/>'s verdicts on a thread-pool thread.</summary>
    public void Start(MicroBatch batch)
    {
        if (_publishing is not null)
        {
            throw new InvalidOperationException("the batch before is still being published");
        }
        _publishing = Task.Run(() => Publish(batch));
    }

    /// <summary>Waits until the batch started last is produced (not acknowledged); rethrows what failed it.</summary>
    public void Finish()
    {
        var publishing = _publishing;
        if (publishing is null)
        {
            return;
        }
        _publishing = null;
        publishing.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Waits for the batch started last whatever becomes of it, so the producer outlives it: the loop is failing or
    /// stopping, and what failed the batch (a delivery) fails the loop anyway.
    /// </summary>
    public void WaitQuietly()
    {
        var publishing = _publishing;
        _publishing = null;
        try
        {
            publishing?.Wait();
        }
        catch (AggregateException)
        {
            // The loop reports its own failure; nothing of this batch is committed.
        }
    }

    private void Publish(MicroBatch batch)
    {
        var verdicts = batch.Verdicts;
        verdicts.Explain(_reasons);
        // Kafka publish time to verdict produced: the latency to scoring, plus the wait for the reasons.
        var waited = Math.Max(0d, (DateTimeOffset.UtcNow - verdicts.ScoredAt).TotalMilliseconds);
        for (var i = 0; i < verdicts.Count; i++)
        {
            ref readonly var transaction = ref verdicts.TransactionAt(i);
            // One message, refilled: the client reads it only while Produce runs (and copies the payload then).
            _message.Key = KeyFor(transaction.CardId, batch.KeyAt(i));
            _message.Value = verdicts.Write(_json, i);
            _message.Headers = batch.Tracing.VerdictHeaders(i, transaction) ?? _noHeaders;
            batch.Deliveries.Produce(producer, topic, _message);
            ScorerMetrics.ByDecision[(int)verdicts.DecisionAt(i)].Inc();
            ScorerMetrics.EventLatencySeconds.Observe((verdicts.LatencyMsAt(i) + waited) / 1000d);
        }
    }

    /// <summary>
    /// A verdict is keyed as its transaction was: by card id, whose UTF-8 bytes admission found the transaction's key to
    /// be (<see cref="Shared.Kafka.MessageContract"/>), so those bytes are reused as they are; encoded only where there are none.
    /// </summary>
    public static byte[] KeyFor(in TransactionText cardId, byte[]? original) => original ?? Encoding.UTF8.GetBytes(cardId.Text!);
}
