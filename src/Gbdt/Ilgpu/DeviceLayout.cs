using System.Runtime.CompilerServices;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>
/// The shape of the device work for one training set: launch geometry and every buffer's size. The backend allocates
/// and launches from it, and <see cref="PeakBytes"/> adds up the same sizes, so the memory a run needs is known before it
/// starts.
/// </summary>
/// <param name="Multiprocessors">of the accelerator: bounds the groups of the grid-stride kernels.</param>
internal sealed record DeviceLayout(int RowCount, int FeatureCount, int GroupSize, int Multiprocessors)
{
    /// <summary>The most threads a group uses (CUDA); the scratch arrays in shared memory are this long.</summary>
    public const int MaxGroupSize = 256;

    /// <summary>Histogram longs per (node, feature): a gradient and a hessian sum for each of the 256 bin slots.</summary>
    public const int HistCells = BinnedData.BinStride * 2;

    /// <summary>Shared-memory words per feature of a group's histogram: each 64-bit cell as two 32-bit words.</summary>
    public const int SharedWordsPerFeature = HistCells * 2;

    /// <summary>Features one group histograms at once: 12 x 4 KB is the 48 KB of shared memory a CUDA block gets without opting in.</summary>
    public const int MaxFeaturesPerGroup = 12;

    /// <summary>Rows of one node a histogram group reads per thread: enough that its one global add per bin is small beside its row work.</summary>
    public const int HistogramRowsPerThread = 32;

    /// <summary>
    /// The fewest rows a partition or histogram group takes, for small groups (the CPU accelerator's): a group costs a
    /// launch and barriers, and a histogram group clears and flushes about three words per cell (1,536 per feature),
    /// which should stay below its row work (two adds per row and feature).
    /// </summary>
    public const int MinChunkRows = 1024;

    /// <summary>Groups per multiprocessor of a grid-stride kernel: enough resident groups to hide memory latency on a GPU.</summary>
    public const int GroupsPerMultiprocessor = 8;

    /// <summary>Consecutive index positions each thread of a partition group moves per pass.</summary>
    public const int PartitionRowsPerThread = 8;

    /// <summary>Items per thread of the grid-stride kernels (gradients, quantizing, subtraction) before the grid strides on.</summary>
    public const int RowsPerThread = 8;

    /// <summary>Active nodes a level can hold (depth ≤ <see cref="GbdtValidation.MaxDepthLimit"/>).</summary>
    public const int MaxNodes = 1 << GbdtValidation.MaxDepthLimit;

    /// <summary>The fixed-size scalars of a round: max |g| and max h bits, the sums of g and h, the sampled row count.</summary>
    public const int ScalarCount = 5;

    public int FeatureGroups => (FeatureCount + MaxFeaturesPerGroup - 1) / MaxFeaturesPerGroup;

    /// <summary>Features per histogram group, spread evenly (50 features: 5 groups of 10).</summary>
    public int FeaturesPerGroup => (FeatureCount + FeatureGroups - 1) / FeatureGroups;

    public int SharedHistogramWords => FeaturesPerGroup * SharedWordsPerFeature;

    public long NodeCells => (long)FeatureCount * HistCells;

    /// <summary>Rows of one node a partition group moves (2,048 with CUDA's 256 threads: one pass).</summary>
    public int PartitionChunkRows => Math.Max(MinChunkRows, GroupSize * PartitionRowsPerThread);

    /// <summary>Rows of one node a histogram group reads (8,192 with CUDA's 256 threads).</summary>
    public int HistogramChunkRows => Math.Max(MinChunkRows, GroupSize * HistogramRowsPerThread);

    /// <summary>Groups of a row-wise kernel over every row.</summary>
    public int RowGroups => StrideGroups(RowCount);

    /// <summary>Groups of a grid-stride kernel over <paramref name="items"/>: a few items per thread, at most as many groups as keep the device busy.</summary>
    public int StrideGroups(long items) =>
        (int)Math.Clamp((items + ((long)GroupSize * RowsPerThread) - 1) / ((long)GroupSize * RowsPerThread), 1, (long)Multiprocessors * GroupsPerMultiprocessor);

    public static int Chunks(int rows, int chunkRows) => Math.Max(1, (rows + chunkRows - 1) / chunkRows);

    /// <summary>Bytes of the buffers that live for the whole training: bins, labels, margins, gradients, two row indexes, segments.</summary>
    public long ResidentBytes =>
        ((long)RowCount * FeatureCount) // row-major bins
        + RowCount // labels
        + (3L * sizeof(double) * RowCount) // margins, g, h
        + (2L * sizeof(int) * RowCount) // quantized (g, h)
        + (2L * sizeof(int) * RowCount) // two row indexes
        + (2L * 2 * sizeof(int) * MaxNodes) // two segment tables
        + (ScalarCount * sizeof(long))
        + (sizeof(int) * (long)FeatureCount); // bins per feature

    public long HistogramBytes(int nodes) => nodes * NodeCells * sizeof(long);

    /// <summary>Per-(node, feature) and per-node split candidates of a level.</summary>
    public long CandidateBytes(int nodes) => ((long)nodes * FeatureCount * Unsafe.SizeOf<SplitCandidate>()) + ((long)nodes * Unsafe.SizeOf<NodeBest>());

    /// <summary>
    /// The most device memory the backend's buffers take for a tree of depth <paramref name="maxDepth"/>: the resident
    /// buffers, two histogram levels of 2^(depth-1) nodes (the deepest level that gets histograms), the candidates of that
    /// many nodes, and the small per-level uploads. The CUDA context itself comes on top (a few hundred MB).
    /// </summary>
    public long PeakBytes(int maxDepth, int lossSampleCount)
    {
        var widest = 1 << (maxDepth - 1);
        return ResidentBytes
            + (2 * HistogramBytes(widest))
            + CandidateBytes(widest)
            + (sizeof(long) * ((2L * widest) + FeatureCount)) // per-level totals and allowed features
            + (sizeof(int) * LevelPlan.MaxLength(this, widest)) // the widest level's plan
            + (sizeof(int) * LevelPlan.MaxLength(this, 1)) // the root's plan
            + (sizeof(int) * TreeInts(maxDepth))
            + (sizeof(double) * (long)lossSampleCount);
    }

    /// <summary>A tree of depth <paramref name="maxDepth"/> as <see cref="TreeKernels.AddTree"/> reads it: four ints per split, one per leaf.</summary>
    public static int TreeInts(int maxDepth) => (4 * ((1 << maxDepth) - 1)) + (1 << maxDepth);
}
