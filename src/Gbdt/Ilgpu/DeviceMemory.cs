using ILGPU;
using ILGPU.Runtime;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>Allocates the backend's device buffers and keeps count of their bytes: now and at the most.</summary>
internal sealed class DeviceMemory(Accelerator accelerator) : IDisposable
{
    private readonly HashSet<MemoryBuffer> _live = [];

    public long Bytes { get; private set; }

    public long PeakBytes { get; private set; }

    public MemoryBuffer1D<T, Stride1D.Dense> Allocate<T>(long length)
        where T : unmanaged
    {
        var buffer = accelerator.Allocate1D<T>(Math.Max(1, length));
        Track(buffer);
        return buffer;
    }

    public MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(T[] data)
        where T : unmanaged
    {
        var buffer = Allocate<T>(data.Length);
        buffer.View.SubView(0, data.Length).CopyFromCPU(data);
        return buffer;
    }

    /// <summary>Replaces <paramref name="buffer"/> by a larger one (contents not kept) when it holds fewer than <paramref name="length"/> elements.</summary>
    public void EnsureLength<T>(ref MemoryBuffer1D<T, Stride1D.Dense> buffer, long length)
        where T : unmanaged
    {
        if (buffer.Length >= length)
        {
            return;
        }
        accelerator.Synchronize(); // queued kernels may still read the old one
        Free(buffer);
        buffer = Allocate<T>(length);
    }

    public void Dispose()
    {
        foreach (var buffer in _live)
        {
            buffer.Dispose();
        }
        _live.Clear();
        Bytes = 0;
    }

    private void Track(MemoryBuffer buffer)
    {
        _live.Add(buffer);
        Bytes += buffer.LengthInBytes;
        PeakBytes = Math.Max(PeakBytes, Bytes);
    }

    private void Free(MemoryBuffer buffer)
    {
        if (_live.Remove(buffer))
        {
            Bytes -= buffer.LengthInBytes;
            buffer.Dispose();
        }
    }
}
