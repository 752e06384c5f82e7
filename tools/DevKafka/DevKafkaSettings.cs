namespace Fraud.Streaming.DevKafka;

/// <summary>What the command line asked for, validated.</summary>
internal sealed record DevKafkaSettings(
    int Brokers,
    int FirstPort,
    IReadOnlyList<TopicSpec> Topics,
    string? BootstrapFile,
    bool Verbose)
{
    public const string Host = "127.0.0.1";

    /// <summary>The project's topics, then any extra ones; a later entry for the same name wins.</summary>
    public static IReadOnlyList<TopicSpec> DefaultTopics(int partitions, IEnumerable<TopicSpec> extra)
    {
        var byName = new Dictionary<string, TopicSpec>(StringComparer.Ordinal);
        TopicSpec[] defaults =
        [
            new("fraud.transactions", partitions),
            new("fraud.verdicts", partitions),
            new("fraud.labels", partitions),
            new("fraud.models", 1),
            new("fraud.transactions.dlq", 4),
            // Closed merchant/device day totals (the aggregator writes, every scorer reads all of it at start).
            new("fraud.entity-totals", 4),
            new("fraud.labels.dlq", 1),
            // The services' consumers never create topics: every topic one reads is here.
            new("fraud.drift", 3),
            new("fraud.verdicts.shadow", partitions),
            new("fraud.retrain-requests", 1),
        ];
        foreach (var topic in defaults.Concat(extra))
        {
            byName[topic.Name] = topic;
        }

        return [.. byName.Values];
    }

    public int ReplicationFactor => Math.Min(3, Brokers);
}
