namespace Fraud.Streaming.Scorer;

/// <summary>What <c>/healthz</c> and <c>/readyz</c> report.</summary>
internal sealed class ScorerStatus(ModelHolder models)
{
    private volatile bool _assigned;
    private volatile bool _restoring;
    private volatile Exception? _fault;
    private volatile IReadOnlyList<string> _missingTopics = [];

    public Exception? Fault => _fault;
    public bool IsHealthy => _fault is null;
    public bool IsReady => _fault is null && _assigned && !_restoring && models.Current is not null;
    public bool IsRestoring => _restoring;

    /// <summary>The topics the loop waits for before it subscribes (<see cref="Shared.Kafka.RequiredTopics"/>).</summary>
    public IReadOnlyList<string> WaitingForTopics => _missingTopics;
    public void MissingTopics(IReadOnlyList<string> topics) => _missingTopics = topics;

    public void Assigned() => _assigned = true;
    public void Unassigned() => _assigned = false;

    /// <summary>Not ready while assigned partitions' card state is being restored.</summary>
    public void Restoring(bool restoring) => _restoring = restoring;
    public void Faulted(Exception exception) => _fault = exception;
}
