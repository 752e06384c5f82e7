namespace Fraud.Streaming.Scorer;

/// <summary>What <c>/healthz</c> and <c>/readyz</c> report.</summary>
internal sealed class ScorerStatus(ModelHolder models)
{
    private volatile bool _assigned;
    private volatile Exception? _fault;

    public Exception? Fault => _fault;
    public bool IsHealthy => _fault is null;
    public bool IsReady => _fault is null && _assigned && models.Current is not null;

    public void Assigned() => _assigned = true;
    public void Unassigned() => _assigned = false;
    public void Faulted(Exception exception) => _fault = exception;
}
