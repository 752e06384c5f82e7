using ILGPU;
using ILGPU.Runtime;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>Every kernel the backend launches, compiled for one accelerator.</summary>
internal sealed class DeviceKernels
{
    /// <summary>
    /// Compiles every kernel for <paramref name="accelerator"/> with the floating-point arithmetic <typeparamref name="TOps"/>
    /// (<see cref="PtxFloatOps"/> on CUDA, <see cref="PlainFloatOps"/> on the CPU accelerator).
    /// </summary>
    public static DeviceKernels Load<TOps>(Accelerator accelerator)
        where TOps : struct, IFloatOps => new()
    {
        Gradients = accelerator.LoadStreamKernel<RowViews, ArrayView<long>, double, int, int, ulong>(RoundKernels.Gradients<TOps>),
        Quantize = accelerator.LoadStreamKernel<RowViews, ArrayView<long>>(RoundKernels.Quantize<TOps>),
        AllRows = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>>(RoundKernels.AllRows),
        PartitionByBin = accelerator.LoadStreamKernel<LevelPlanViews, ArrayView<int>, ArrayView<int>, ArrayView<int>, BinSide, int>(PartitionKernels.Partition),
        PartitionBySample = accelerator.LoadStreamKernel<LevelPlanViews, ArrayView<int>, ArrayView<int>, ArrayView<int>, SampledSide, int>(PartitionKernels.Partition),
        ChildSegments = accelerator.LoadAutoGroupedStreamKernel<Index1D, LevelPlanViews, ArrayView<int>, ArrayView<int>>(PartitionKernels.ChildSegments),
        Histogram = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<byte>, ArrayView<GradientPair>, ArrayView<long>, int, int, int, int>(HistogramKernels.Build),
        Subtract = accelerator.LoadStreamKernel<LevelPlanViews, int, ArrayView<int>, ArrayView<long>, ArrayView<long>, long>(HistogramKernels.Subtract),
        BestPerFeature = accelerator.LoadStreamKernel<ArrayView<long>, ArrayView<long>, ArrayView<long>, ArrayView<int>, ArrayView<SplitCandidate>, SplitParams, int>(SplitKernels.BestPerFeature<TOps>),
        BestPerNode = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<SplitCandidate>, ArrayView<int>, ArrayView<NodeBest>, double, int>(SplitKernels.BestPerNode),
        AddTree = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<byte>, ArrayView<double>, ArrayView<int>, int, int>(TreeKernels.AddTree<TOps>),
        Gather = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, int>(TreeKernels.Gather),
    };

    public required Action<KernelConfig, RowViews, ArrayView<long>, double, int, int, ulong> Gradients { get; init; }

    public required Action<KernelConfig, RowViews, ArrayView<long>> Quantize { get; init; }

    public required Action<Index1D, ArrayView<int>, ArrayView<int>> AllRows { get; init; }

    public required Action<KernelConfig, LevelPlanViews, ArrayView<int>, ArrayView<int>, ArrayView<int>, BinSide, int> PartitionByBin { get; init; }

    public required Action<KernelConfig, LevelPlanViews, ArrayView<int>, ArrayView<int>, ArrayView<int>, SampledSide, int> PartitionBySample { get; init; }

    public required Action<Index1D, LevelPlanViews, ArrayView<int>, ArrayView<int>> ChildSegments { get; init; }

    public required Action<KernelConfig, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<byte>, ArrayView<GradientPair>, ArrayView<long>, int, int, int, int> Histogram { get; init; }

    public required Action<KernelConfig, LevelPlanViews, int, ArrayView<int>, ArrayView<long>, ArrayView<long>, long> Subtract { get; init; }

    public required Action<KernelConfig, ArrayView<long>, ArrayView<long>, ArrayView<long>, ArrayView<int>, ArrayView<SplitCandidate>, SplitParams, int> BestPerFeature { get; init; }

    public required Action<Index1D, ArrayView<SplitCandidate>, ArrayView<int>, ArrayView<NodeBest>, double, int> BestPerNode { get; init; }

    public required Action<Index1D, ArrayView<byte>, ArrayView<double>, ArrayView<int>, int, int> AddTree { get; init; }

    public required Action<Index1D, ArrayView<double>, ArrayView<double>, int> Gather { get; init; }
}
