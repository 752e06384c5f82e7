using Fraud.Streaming.Gbdt.Ilgpu;

namespace Fraud.Streaming.Gbdt.Tests;

/// <summary>A fact that needs a CUDA device (the GPU machine); skipped with the reason elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CudaFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Reason = new(IlgpuAccelerators.CudaUnavailableReason);

    public CudaFactAttribute()
    {
        var reason = Reason.Value;
        if (reason is not null)
        {
            Skip ??= $"needs a CUDA GPU: {reason}";
        }
    }
}
