using ILGPU;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>
/// Device code that moves each split node's rows into its two children, so that every node's rows stay one contiguous
/// range of the row index: left rows from the range's start, right rows from its end. Each group reserves room for its
/// rows with one atomic add per side, so the order of rows inside a child depends on which group ran first; nothing
/// reads that order (histograms add integers, margins are updated per row), so the trees do not.
/// </summary>
internal static class PartitionKernels
{
    /// <summary>One group per (split, chunk of the parent's rows); each thread moves a few consecutive positions per pass.</summary>
    public static void Partition<TSide>(LevelPlanViews plan, ArrayView<int> segments, ArrayView<int> indexIn, ArrayView<int> indexOut, TSide side, int chunkRows)
        where TSide : struct, IRowSide
    {
        var scratch = SharedMemory.Allocate<int>(DeviceLayout.MaxGroupSize);
        var bases = SharedMemory.Allocate<int>(2);
        var s = plan.PartitionWork[2 * Grid.IdxX];
        var chunk = plan.PartitionWork[(2 * Grid.IdxX) + 1];
        var parent = plan.Splits[4 * s];
        var feature = plan.Splits[(4 * s) + 1];
        var bin = plan.Splits[(4 * s) + 2];
        var start = segments[2 * parent];
        var count = segments[(2 * parent) + 1];
        var first = chunk * chunkRows;
        if (first >= count)
        {
            return; // the whole group: the host sizes the grid by an upper bound of the rows
        }
        var last = first + chunkRows < count ? first + chunkRows : count;
        const int Per = DeviceLayout.PartitionRowsPerThread;
        for (var pass = first; pass < last; pass += Group.DimX * Per)
        {
            var from = pass + (Group.IdxX * Per);
            var to = from + Per < last ? from + Per : last;
            int lefts = 0, rights = 0;
            for (var k = from; k < to; k++)
            {
                if (side.GoesLeft(indexIn[start + k], feature, bin))
                {
                    lefts++;
                }
                else
                {
                    rights++;
                }
            }
            // Both counts in one scan: a pass moves at most 256 x 8 rows, so each fits in 16 bits.
            var (before, total) = DeviceGroup.ExclusiveSum(scratch, lefts | (rights << 16));
            if (Group.IsFirstThread)
            {
                bases[0] = Atomic.Add(ref plan.Cursors[2 * s], total & 0xFFFF);
                bases[1] = Atomic.Add(ref plan.Cursors[(2 * s) + 1], total >> 16);
            }
            Group.Barrier();
            var left = start + bases[0] + (before & 0xFFFF);
            var right = start + count - 1 - (bases[1] + (before >> 16));
            for (var k = from; k < to; k++)
            {
                var row = indexIn[start + k];
                if (side.GoesLeft(row, feature, bin))
                {
                    indexOut[left++] = row;
                }
                else
                {
                    indexOut[right--] = row;
                }
            }
            Group.Barrier();
        }
    }

    /// <summary>The children's segments once every row is placed: left = the parent's first rows, right = the rest.</summary>
    public static void ChildSegments(Index1D s, LevelPlanViews plan, ArrayView<int> segments, ArrayView<int> nextSegments)
    {
        var parent = plan.Splits[4 * s];
        var leftSlot = plan.Splits[(4 * s) + 3];
        var start = segments[2 * parent];
        var count = segments[(2 * parent) + 1];
        var left = plan.Cursors[2 * s];
        nextSegments[2 * leftSlot] = start;
        nextSegments[(2 * leftSlot) + 1] = left;
        nextSegments[(2 * leftSlot) + 2] = start + left;
        nextSegments[(2 * leftSlot) + 3] = count - left;
    }
}
