using ILGPU;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>
/// Device code of the histograms: per node and feature, 256 bin slots of (Σ quantized g, Σ quantized h) as longs,
/// laid out [node][feature][bin][g, h]. Sums are of integers, so they are exact and the same in any order: a group adds
/// its rows into shared memory, then adds each of its non-zero cells once into the node's histogram in device memory.
/// </summary>
internal static class HistogramKernels
{
    /// <summary>
    /// One group per (work item, feature group). A work item names two slots and a chunk; the group builds the chunk of
    /// the slot with fewer rows (a root item names slot 0 twice). The group's threads walk (row, feature) pairs with the
    /// features fastest, so neighbouring threads read neighbouring bytes of a row's bins.
    /// </summary>
    public static void Build(ArrayView<int> work, ArrayView<int> segments, ArrayView<int> index, ArrayView<byte> rowBins,
        ArrayView<GradientPair> grad, ArrayView<long> hist, int featureCount, int featuresPerGroup, int featureGroups, int chunkRows)
    {
        var words = SharedMemory.GetDynamic<uint>();
        var item = Grid.IdxX / featureGroups;
        var featureGroup = Grid.IdxX - (item * featureGroups);
        var slotA = work[3 * item];
        var slotB = work[(3 * item) + 1];
        var slot = segments[(2 * slotA) + 1] <= segments[(2 * slotB) + 1] ? slotA : slotB;
        var start = segments[2 * slot];
        var count = segments[(2 * slot) + 1];
        var first = work[(3 * item) + 2] * chunkRows;
        if (first >= count)
        {
            return; // the whole group: the host sizes the grid by an upper bound of the rows
        }
        var rows = count - first < chunkRows ? count - first : chunkRows;
        var f0 = featureGroup * featuresPerGroup;
        var features = featureCount - f0 < featuresPerGroup ? featureCount - f0 : featuresPerGroup;
        var cells = features * DeviceLayout.HistCells;
        for (var w = Group.IdxX; w < 2 * cells; w += Group.DimX)
        {
            words[w] = 0;
        }
        Group.Barrier();
        var pairs = rows * features;
        for (var k = Group.IdxX; k < pairs; k += Group.DimX)
        {
            var r = k / features;
            var j = k - (r * features);
            var row = index[start + first + r];
            var pair = grad[row];
            var cell = (j * DeviceLayout.HistCells) + (2 * rowBins[((long)row * featureCount) + f0 + j]);
            if (pair.G != 0)
            {
                DeviceGroup.AddShared64(words, cell, pair.G);
            }
            if (pair.H != 0)
            {
                DeviceGroup.AddShared64(words, cell + 1, pair.H);
            }
        }
        Group.Barrier();
        var target = (((long)slot * featureCount) + f0) * DeviceLayout.HistCells;
        for (var c = Group.IdxX; c < cells; c += Group.DimX)
        {
            var value = DeviceGroup.ReadShared64(words, c);
            if (value != 0)
            {
                Atomic.Add(ref hist[target + c], value);
            }
        }
    }

    /// <summary>Each split's larger child: its parent's histogram minus its built sibling's, cell by cell (grid-stride).</summary>
    public static void Subtract(LevelPlanViews plan, int splits, ArrayView<int> nextSegments, ArrayView<long> parentHist, ArrayView<long> childHist, long nodeCells)
    {
        var total = splits * nodeCells;
        for (var i = (long)Grid.GlobalIndex.X; i < total; i += (long)Grid.DimX * Group.DimX)
        {
            var s = (int)(i / nodeCells);
            var c = i - (s * nodeCells);
            var parent = plan.Splits[4 * s];
            var left = plan.Splits[(4 * s) + 3];
            var leftIsSmall = nextSegments[(2 * left) + 1] <= nextSegments[(2 * left) + 3];
            var small = leftIsSmall ? left : left + 1;
            var large = leftIsSmall ? left + 1 : left;
            childHist[(large * nodeCells) + c] = parentHist[(parent * nodeCells) + c] - childHist[(small * nodeCells) + c];
        }
    }
}
