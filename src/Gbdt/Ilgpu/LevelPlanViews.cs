using ILGPU;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>
/// One level's plan on the device (see <see cref="LevelPlan"/>): per split [parent slot, feature, bin, left child slot],
/// per split two cursors (rows placed left, right), per partition group [split, chunk], per histogram work item
/// [slot A, slot B, chunk] (the histogram of the one of the two with fewer rows is built).
/// </summary>
internal readonly struct LevelPlanViews(ArrayView<int> splits, ArrayView<int> cursors, ArrayView<int> partitionWork, ArrayView<int> histogramWork)
{
    public readonly ArrayView<int> Splits = splits;
    public readonly ArrayView<int> Cursors = cursors;
    public readonly ArrayView<int> PartitionWork = partitionWork;
    public readonly ArrayView<int> HistogramWork = histogramWork;
}
