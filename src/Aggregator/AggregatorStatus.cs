namespace Fraud.Streaming.Aggregator;

/// <summary>What <c>/healthz</c> and <c>/readyz</c> report.</summary>
internal sealed class AggregatorStatus
{
    private volatile Exception? _fault;
    private volatile int _assigned;
    private volatile int _replaying;

    public Exception? Fault => _fault;
    public bool IsHealthy => _fault is null;

    /// <summary>Ready when it owns partitions and has replayed them: its watermarks mean what they say.</summary>
    public bool IsReady => _fault is null && _assigned > 0 && _replaying == 0;
    public int Assigned => _assigned;
    public int Replaying => _replaying;

    public void Update(int assigned, int replaying)
    {
        _assigned = assigned;
        _replaying = replaying;
    }

    public void Faulted(Exception exception) => _fault = exception;
}
