namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// Reusable buffers for <see cref="TreeShap"/>.Explain: the path segments of every recursion level and the per-feature
/// contributions. One per scoring loop (not thread-safe); explaining a row allocates nothing.
/// </summary>
public sealed class ShapWorkspace
{
    internal ShapWorkspace(int maxDepth, int featureCount)
    {
        // Level d (root = 0) holds a path of d + 2 elements (the root's placeholder included): the sum over every level.
        Path = new ShapPathElement[(maxDepth + 2) * (maxDepth + 3) / 2];
        Contributions = new double[featureCount];
        MaxDepth = maxDepth;
    }

    internal ShapPathElement[] Path { get; }

    /// <summary>Per feature, the contribution of the last explained row (log-odds of the model's output).</summary>
    public double[] Contributions { get; }

    internal int MaxDepth { get; }
}
