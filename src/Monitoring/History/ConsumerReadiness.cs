using System.Diagnostics;
using Confluent.Kafka;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// What <c>/readyz</c> knows about the consumer: which partitions it owns, and whether history is being written —
/// not ready while a write keeps failing on a transient error (a dependency is down) or has been running longer than
/// the stuck limit.
/// </summary>
internal sealed class ConsumerReadiness
{
    private readonly Lock _lock = new();
    private readonly HashSet<TopicPartition> _assigned = [];
    private long _writeStarted;
    private string? _failing;
    private volatile IReadOnlyList<string> _missingTopics = [];

    /// <summary>The topics the consumer waits for before it subscribes (<see cref="Shared.Kafka.RequiredTopics"/>).</summary>
    public IReadOnlyList<string> WaitingForTopics => _missingTopics;

    public void MissingTopics(IReadOnlyList<string> topics) => _missingTopics = topics;

    public int AssignedPartitions
    {
        get
        {
            lock (_lock)
            {
                return _assigned.Count;
            }
        }
    }

    /// <summary>Why history is not being written, or null when it is (or nothing waits to be).</summary>
    public string? WriteProblem(TimeSpan stuckAfter)
    {
        lock (_lock)
        {
            if (_failing is not null)
            {
                return $"history writes are failing and being retried: {_failing}";
            }
            if (_writeStarted != 0 && Stopwatch.GetElapsedTime(_writeStarted) > stuckAfter)
            {
                return $"a history batch has been writing for {Stopwatch.GetElapsedTime(_writeStarted).TotalSeconds:F0} s";
            }
            return null;
        }
    }

    public void WriteStarted()
    {
        lock (_lock)
        {
            _writeStarted = Stopwatch.GetTimestamp();
        }
    }

    public void WriteFailing(string reason)
    {
        lock (_lock)
        {
            _failing = reason;
        }
        MonitoringMetrics.WriteBlocked.Set(1);
    }

    public void WriteFinished()
    {
        lock (_lock)
        {
            _writeStarted = 0;
            _failing = null;
        }
        MonitoringMetrics.WriteBlocked.Set(0);
    }

    public void Assigned(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            _assigned.UnionWith(partitions);
        }
    }

    public void Removed(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            _assigned.ExceptWith(partitions);
        }
    }

    public void Stopped()
    {
        lock (_lock)
        {
            _assigned.Clear();
        }
    }
}
