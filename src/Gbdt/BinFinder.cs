using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fraud.Streaming.Gbdt;

/// <summary>
/// A value's bin among at most 256 sorted upper edges in two 16-wide comparisons: the count of edges below the value
/// (the lower bound) is 16 × (chunks whose last edge is below it) + (edges below it within the next chunk). A binary
/// search over 255 edges mispredicts about half of its eight branches per value; this has none.
/// </summary>
internal sealed class BinFinder
{
    private const int Width = 16;

    private readonly float[] _upper;
    private readonly float[] _padded;
    private readonly Vector512<float> _chunkLast;

    public BinFinder(float[] upper)
    {
        _upper = upper;
        _padded = [];
        if (!Vector512.IsHardwareAccelerated || upper.Length == 0 || upper.Length > Width * Width)
        {
            return;
        }
        // Padding with +∞ counts nothing: no finite value or +∞ is below +∞, as no value is below the last edge.
        _padded = new float[Width * Width];
        _padded.AsSpan().Fill(float.PositiveInfinity);
        upper.CopyTo(_padded, 0);
        Span<float> last = stackalloc float[Width];
        for (var c = 0; c < Width; c++)
        {
            last[c] = _padded[(c * Width) + Width - 1];
        }
        _chunkLast = Vector512.Create<float>(last);
    }

    /// <summary>The first bin whose upper edge is ≥ <paramref name="v"/>; <paramref name="v"/> is not NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(float v)
    {
        if (_padded.Length == 0)
        {
            return QuantileBinner.FindBin(_upper, v);
        }
        var value = Vector512.Create(v);
        var chunk = BitOperations.PopCount(Vector512.LessThan(_chunkLast, value).ExtractMostSignificantBits());
        var edges = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_padded), (nuint)(chunk * Width));
        return (chunk * Width) + BitOperations.PopCount(Vector512.LessThan(edges, value).ExtractMostSignificantBits());
    }
}
