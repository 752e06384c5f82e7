namespace Fraud.Streaming.Gbdt;

/// <summary>Picks the backend for a <see cref="GbdtDevice"/>.</summary>
internal static class BackendFactory
{
    public static IGbdtBackend Create(GbdtDevice device, TrainingRows rows, ParallelOptions parallel) => device switch
    {
        GbdtDevice.Cpu => new ManagedBackend(rows, parallel),
        GbdtDevice.Cuda => IlgpuBackend.CreateCuda(rows),
        GbdtDevice.IlgpuCpu => IlgpuBackend.CreateCpu(rows),
        _ => CudaOrManaged(rows, parallel),
    };

    /// <summary>Auto: CUDA when a driver and a device answer, else the managed backend.</summary>
    private static IGbdtBackend CudaOrManaged(TrainingRows rows, ParallelOptions parallel)
    {
        try
        {
            return IlgpuBackend.CreateCuda(rows);
        }
        catch (NotSupportedException)
        {
            return new ManagedBackend(rows, parallel);
        }
    }
}
