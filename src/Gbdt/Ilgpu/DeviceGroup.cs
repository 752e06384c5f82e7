using ILGPU;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>
/// Group-wide steps the kernels share, written with shared memory and barriers only (no warp shuffles), for any group
/// size. Written by hand rather than taken from ILGPU.Algorithms because that library's group scans take warp-level
/// paths on CUDA that its CPU accelerator never runs: with these, the equivalence tests on the CPU accelerator run the
/// very algorithm the GPU runs. Every thread of the group must call them (they hold barriers).
/// </summary>
internal static class DeviceGroup
{
    /// <summary>The exclusive prefix sum of one int per thread in thread order, and the group's total.</summary>
    /// <param name="scratch">shared memory of at least the group's size, free for the call.</param>
    public static (int Exclusive, int Total) ExclusiveSum(ArrayView<int> scratch, int value)
    {
        var t = Group.IdxX;
        var n = Group.DimX;
        scratch[t] = value;
        Group.Barrier();
        // Hillis-Steele: after the step with offset d each slot holds the sum of the 2d slots up to it.
        for (var offset = 1; offset < n; offset <<= 1)
        {
            var add = t >= offset ? scratch[t - offset] : 0;
            Group.Barrier();
            scratch[t] += add;
            Group.Barrier();
        }
        var inclusive = scratch[t];
        var total = scratch[n - 1];
        Group.Barrier();
        return (inclusive - value, total);
    }

    /// <summary>The exclusive prefix sums of two longs per thread in thread order (integer, so exact).</summary>
    public static (long A, long B) ExclusiveSum(ArrayView<long> scratchA, ArrayView<long> scratchB, long a, long b)
    {
        var t = Group.IdxX;
        var n = Group.DimX;
        scratchA[t] = a;
        scratchB[t] = b;
        Group.Barrier();
        for (var offset = 1; offset < n; offset <<= 1)
        {
            var addA = t >= offset ? scratchA[t - offset] : 0;
            var addB = t >= offset ? scratchB[t - offset] : 0;
            Group.Barrier();
            scratchA[t] += addA;
            scratchB[t] += addB;
            Group.Barrier();
        }
        var inclusiveA = scratchA[t];
        var inclusiveB = scratchB[t];
        Group.Barrier();
        return (inclusiveA - a, inclusiveB - b);
    }

    /// <summary>The largest of one value per thread (exact, so the order does not matter), on every thread.</summary>
    public static double Max(ArrayView<double> scratch, double value)
    {
        var t = Group.IdxX;
        scratch[t] = value;
        Group.Barrier();
        for (var step = 1; step < Group.DimX; step <<= 1)
        {
            if ((t & ((2 * step) - 1)) == 0 && t + step < Group.DimX && scratch[t + step] > scratch[t])
            {
                scratch[t] = scratch[t + step];
            }
            Group.Barrier();
        }
        var max = scratch[0];
        Group.Barrier();
        return max;
    }

    /// <summary>The sum of one long per thread (integer, so exact in any order), on every thread.</summary>
    public static long Sum(ArrayView<long> scratch, long value)
    {
        var t = Group.IdxX;
        scratch[t] = value;
        Group.Barrier();
        for (var step = 1; step < Group.DimX; step <<= 1)
        {
            if ((t & ((2 * step) - 1)) == 0 && t + step < Group.DimX)
            {
                scratch[t] += scratch[t + step];
            }
            Group.Barrier();
        }
        var sum = scratch[0];
        Group.Barrier();
        return sum;
    }

    /// <summary>
    /// Adds a 64-bit integer to cell <paramref name="cell"/> of a shared histogram kept as (low, high) 32-bit words: one
    /// 32-bit atomic on the low word, and one on the high word only when the high half or the carry out of the low word
    /// is not zero (for the small values histograms add, rarely). 64-bit atomics on shared memory are slow on NVIDIA GPUs
    /// (a compare-and-swap loop); the sum is exact modulo 2^64 whatever the order of the adds.
    /// </summary>
    public static void AddShared64(ArrayView<uint> words, int cell, long value)
    {
        var low = (uint)value;
        var old = Atomic.Add(ref words[2 * cell], low);
        var carry = old + low < old ? 1u : 0u;
        var high = (uint)((ulong)value >> 32) + carry;
        if (high != 0)
        {
            Atomic.Add(ref words[(2 * cell) + 1], high);
        }
    }

    /// <summary>The 64-bit value of a cell written by <see cref="AddShared64"/>.</summary>
    public static long ReadShared64(ArrayView<uint> words, int cell) => (long)(((ulong)words[(2 * cell) + 1] << 32) | words[2 * cell]);
}
