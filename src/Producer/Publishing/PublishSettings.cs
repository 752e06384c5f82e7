namespace Fraud.Streaming.Producer.Publishing;

/// <summary>How a synthetic run goes to Kafka.</summary>
internal sealed record PublishSettings
{
    /// <summary>Transactions per second; 0 publishes as fast as the producer accepts.</summary>
    public double Rate { get; init; }

    public TimeSpan LabelDelay { get; init; } = TimeSpan.FromSeconds(2);
    public int Malformed { get; init; }

    /// <summary>When set, generate until this much wall time passed instead of stopping at the count.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>
    /// How long the producer waits to fill a record batch. Longer means fewer, larger batches: cheaper for any
    /// broker, and much cheaper for the dev Kafka (librdkafka's mock), whose fetches walk the batch list.
    /// </summary>
    public double LingerMs { get; init; } = 5;

    /// <summary>
    /// When set, event time runs this many times faster than wall time, and each label is published after its
    /// event-time delay (<c>labelled_at - event_time</c>) divided by it instead of after <see cref="LabelDelay"/>.
    /// </summary>
    public double? Speedup { get; init; }

    /// <summary>Record-batch compression (librdkafka <c>compression.type</c>).</summary>
    public Confluent.Kafka.CompressionType Compression { get; init; } = Confluent.Kafka.CompressionType.Lz4;

    /// <summary>Largest record batch in bytes (librdkafka <c>batch.size</c>).</summary>
    public int BatchSize { get; init; } = 1_000_000;

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
