using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>Finds the ILGPU accelerators and builds an <see cref="IlgpuBackend"/> on one.</summary>
internal static class IlgpuAccelerators
{
    /// <summary>
    /// The CPU accelerator's shape: groups of 4 threads on 2 simulated multiprocessors, so groups run side by side and race
    /// as on a GPU. Each simulated thread is an OS thread meeting the others at every barrier, so small groups keep the
    /// tests fast; the kernels work for any group size.
    /// </summary>
    private static readonly CPUDevice CpuDevice = new(numThreadsPerWarp: 4, numWarpsPerMultiprocessor: 1, numMultiprocessors: 2);

    /// <summary>ILGPU on the first CUDA device; <see cref="NotSupportedException"/> (one line, saying why) when there is none.</summary>
    public static IlgpuBackend CreateCuda(TrainingRows rows)
    {
        Context? context = null;
        try
        {
            context = Context.Create(builder => builder.Cuda());
            if (context.GetCudaDevices().Count == 0)
            {
                throw new NotSupportedException("no CUDA device found (GbdtDevice.Cuda needs an NVIDIA GPU and driver; use Cpu or Auto)");
            }
            var accelerator = context.CreateCudaAccelerator(0);
            return IlgpuBackend.Create<PtxFloatOps>(rows, context, accelerator, $"cuda:{accelerator.Name}");
        }
        catch (Exception e) when (e is not NotSupportedException and not OutOfMemoryException)
        {
            context?.Dispose();
            throw new NotSupportedException($"CUDA is not available ({e.GetType().Name}: {OneLine(e.Message)}); use Cpu or Auto", e);
        }
        catch
        {
            context?.Dispose();
            throw;
        }
    }

    /// <summary>ILGPU's CPU accelerator: the device code run on the CPU, for equivalence tests.</summary>
    /// <param name="threadsPerGroup">the simulated group size (a power of two; default 4).</param>
    public static IlgpuBackend CreateCpu(TrainingRows rows, int? threadsPerGroup = null)
    {
        var device = threadsPerGroup is { } t ? new CPUDevice(numThreadsPerWarp: Math.Min(t, 32), numWarpsPerMultiprocessor: Math.Max(1, t / 32), numMultiprocessors: 2) : CpuDevice;
        var context = Context.Create(builder => builder.CPU(device));
        try
        {
            var accelerator = context.CreateCPUAccelerator(0);
            return IlgpuBackend.Create<PlainFloatOps>(rows, context, accelerator, $"ilgpu-cpu:{accelerator.Name}");
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Why CUDA cannot be used here, or null when a CUDA device answers.</summary>
    public static string? CudaUnavailableReason()
    {
        try
        {
            using var context = Context.Create(builder => builder.Cuda());
            return context.GetCudaDevices().Count > 0 ? null : "no CUDA device found";
        }
        catch (Exception e)
        {
            return $"CUDA is not available ({e.GetType().Name}: {OneLine(e.Message)})";
        }
    }

    /// <summary>Bytes in use on a CUDA device (all processes, contexts included); null elsewhere.</summary>
    public static long? BytesInUse(Accelerator accelerator) =>
        accelerator is CudaAccelerator cuda ? cuda.MemorySize - cuda.GetFreeMemory() : null;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
