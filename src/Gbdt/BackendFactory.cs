using Fraud.Streaming.Gbdt.Ilgpu;

namespace Fraud.Streaming.Gbdt;

/// <summary>Picks the backend for a <see cref="GbdtDevice"/>, and says why.</summary>
internal static class BackendFactory
{
    public static (IGbdtBackend Backend, string Reason) Create(GbdtDevice device, TrainingRows rows, ParallelOptions parallel) => device switch
    {
        GbdtDevice.Cpu => (new ManagedBackend(rows, parallel), "asked for the CPU"),
        GbdtDevice.Cuda => (IlgpuAccelerators.CreateCuda(rows), "asked for CUDA"),
        GbdtDevice.IlgpuCpu => (IlgpuAccelerators.CreateCpu(rows), "asked for ILGPU's CPU accelerator"),
        _ => CudaOrManaged(rows, parallel),
    };

    /// <summary>Auto: CUDA when a driver and a device answer and the backend starts on it, else the managed backend.</summary>
    private static (IGbdtBackend, string) CudaOrManaged(TrainingRows rows, ParallelOptions parallel)
    {
        if (IlgpuAccelerators.CudaUnavailableReason() is { } reason)
        {
            return (new ManagedBackend(rows, parallel), $"auto: {reason}, so the CPU");
        }
        try
        {
            return (IlgpuAccelerators.CreateCuda(rows), "auto: a CUDA device and driver answered");
        }
        catch (NotSupportedException e)
        {
            return (new ManagedBackend(rows, parallel), $"auto: a CUDA device answered but {e.Message}, so the CPU");
        }
    }
}
