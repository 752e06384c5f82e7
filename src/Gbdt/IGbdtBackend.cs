namespace Fraud.Streaming.Gbdt;

/// <summary>
/// Where a tree's heavy work runs: gradients, histograms, split search, row partitioning and margin updates.
/// The booster drives one tree level at a time and decides leaves and node numbering; every backend must produce the
/// same integer histograms and pick the same split from them.
/// </summary>
internal interface IGbdtBackend : IDisposable
{
    string Description { get; }

    /// <summary>Gradients of the current margins on the round's row sample, quantized; builds the root histogram (active node 0).</summary>
    RoundStart BeginTree(int round);

    /// <summary>
    /// The best split of every active node into <paramref name="best"/>[node], as <see cref="SplitSearch.BestOnFeature"/> per
    /// allowed feature and then <see cref="SplitSearch.BestOverFeatures"/> choose it (<see cref="SplitCandidate.Feature"/> = -1: none).
    /// </summary>
    void FindSplits(int activeNodes, ReadOnlySpan<long> nodeTotals, ReadOnlySpan<bool> featureAllowed, SplitParams p, Span<SplitCandidate> best);

    /// <summary>
    /// Applies one decision per active node: a leaf keeps its rows; a split sends them to two new active nodes.
    /// With <paramref name="buildHistograms"/>, each split's smaller child's histogram is built and the other subtracted from the
    /// parent; without, this is the tree's last level of splits (nothing reads the children's rows but the margin update).
    /// </summary>
    void ApplySplits(ReadOnlySpan<NodeDecision> decisions, bool buildHistograms);

    /// <summary>Adds the finished tree to the training margins; returns the training logloss afterwards.</summary>
    double FinishTree(BinTree tree);
}

/// <summary>The fixed-point scales and the root's integer gradient sums for one round.</summary>
internal readonly record struct RoundStart(double ScaleG, double ScaleH, long TotalG, long TotalH);

/// <summary>
/// What happens to one active node: <see cref="Feature"/> &lt; 0 makes it leaf <see cref="LeafId"/>; otherwise rows with
/// bin ≤ <see cref="Bin"/> go to active node <see cref="LeftSlot"/> and the rest to <see cref="LeftSlot"/> + 1 on the next level.
/// </summary>
internal readonly record struct NodeDecision(int Feature, int Bin, int LeftSlot, int LeafId);

/// <summary>A tree over bins, for margin updates: as <see cref="GbdtTree"/>, with bin thresholds.</summary>
internal sealed record BinTree(int[] SplitFeature, int[] SplitBin, int[] Left, int[] Right, float[] LeafValues)
{
    public int LeafOf(byte[] bins, int rowCount, int row)
    {
        if (SplitFeature.Length == 0)
        {
            return 0;
        }
        var node = 0;
        while (true)
        {
            var f = SplitFeature[node];
            var next = bins[((long)f * rowCount) + row] <= SplitBin[node] ? Left[node] : Right[node];
            if (next < 0)
            {
                return ~next;
            }
            node = next;
        }
    }
}
