namespace Fraud.Streaming.Producer.Publishing;

/// <summary>Delivery outcomes, updated from librdkafka's delivery-report thread.</summary>
internal sealed class PublishCounters
{
    private long _transactions;
    private long _labels;
    private long _malformed;
    private long _errors;
    private long _undelivered;

    public long Transactions => Interlocked.Read(ref _transactions);
    public long Labels => Interlocked.Read(ref _labels);
    public long Malformed => Interlocked.Read(ref _malformed);
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Messages never acknowledged nor failed: still queued when the final flush gave up, or never queued at all.</summary>
    public long Undelivered => Interlocked.Read(ref _undelivered);

    /// <summary>Every message the run made reached the broker.</summary>
    public bool AllDelivered => Errors == 0 && Undelivered == 0;

    public void TransactionDelivered() => Interlocked.Increment(ref _transactions);
    public void LabelDelivered() => Interlocked.Increment(ref _labels);
    public void MalformedDelivered() => Interlocked.Increment(ref _malformed);

    /// <summary>Counts a failure and returns the running total (to log only the first few).</summary>
    public long Failed() => Interlocked.Increment(ref _errors);

    /// <summary>Counts messages the run gave up on without a delivery report.</summary>
    public void NotDelivered(long count) => Interlocked.Add(ref _undelivered, count);

    public string Summary() =>
        $"produced transactions={Transactions} labels={Labels} malformed={Malformed} errors={Errors} undelivered={Undelivered}";
}
