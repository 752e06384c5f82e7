using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Scores each batch with the challenger too, after the champion's verdicts are on their way: off the decision path, on
/// the same feature vectors, and bounded: at most <see cref="ScorerOptions.ShadowMaxRowsPerSecond"/> transactions a
/// second (a budget refilled continuously, up to one second's worth), a batch over it is skipped whole and counted. The
/// shadow verdicts go to the shadow topic best effort: a failed delivery is counted and never fails the batch.
/// </summary>
internal sealed class ShadowScorer(ModelHolder challengers, int maxRowsPerSecond, string topic)
{
    private readonly double _perTick = (double)maxRowsPerSecond / Stopwatch.Frequency;
    private double _budget = maxRowsPerSecond;
    private long _last = Stopwatch.GetTimestamp();

    /// <param name="key">the message key of transaction <c>i</c> of the batch (its card id's bytes).</param>
    public void ScoreAndPublish(BatchScorer batch, LoadedModel champion, IProducer<byte[], byte[]> producer, Func<int, byte[]> key)
    {
        var challenger = challengers.AcquireForBatch();
        if (challenger is null || challenger.Version == champion.Version || batch.Count == 0)
        {
            return;
        }
        var now = Stopwatch.GetTimestamp();
        _budget = Math.Min(maxRowsPerSecond, _budget + ((now - _last) * _perTick));
        _last = now;
        if (_budget < batch.Count)
        {
            ScorerMetrics.ShadowTransactions.WithLabels("skipped").Inc(batch.Count);
            return;
        }
        _budget -= batch.Count;
        var verdicts = batch.ScoreShadow(challenger, DateTimeOffset.UtcNow);
        for (var i = 0; i < verdicts.Length; i++)
        {
            try
            {
                producer.Produce(topic, new Message<byte[], byte[]> { Key = key(i), Value = ContractJson.Serialize(verdicts[i]) }, Delivered);
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                ScorerMetrics.ShadowTransactions.WithLabels("skipped").Inc(verdicts.Length - i);
                return;
            }
        }
    }

    private static void Delivered(DeliveryReport<byte[], byte[]> report) =>
        ScorerMetrics.ShadowTransactions.WithLabels(report.Error.IsError ? "failed" : "published").Inc();
}
