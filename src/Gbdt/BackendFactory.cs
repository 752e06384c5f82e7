namespace Fraud.Streaming.Gbdt;

/// <summary>Picks the backend for a <see cref="GbdtDevice"/>.</summary>
internal static class BackendFactory
{
    public static IGbdtBackend Create(GbdtDevice device, TrainingRows rows, ParallelOptions parallel) => device switch
    {
        GbdtDevice.Cpu => new ManagedBackend(rows, parallel),
        GbdtDevice.Auto => new ManagedBackend(rows, parallel),
        _ => throw new NotSupportedException($"GBDT device {device} is not available in this build; use Cpu or Auto"),
    };
}
