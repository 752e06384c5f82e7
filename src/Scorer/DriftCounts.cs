namespace Fraud.Streaming.Scorer;

/// <summary>
/// Counts in a model's reference bins: every feature's bins one after another (<see cref="FeatureOffsets"/>), the
/// score's bins, and per categorical field the transactions with an unseen value. One per window step and per event day.
/// </summary>
internal sealed class DriftCounts(int[] featureOffsets, int featureBins, int scoreBins, int fields)
{
    public int[] FeatureOffsets { get; } = featureOffsets;
    public long[] Features { get; } = new long[featureBins];
    public long[] Score { get; } = new long[scoreBins];
    public long[] Unseen { get; } = new long[fields];
    public long Transactions { get; set; }

    /// <summary>Feature <paramref name="feature"/>'s bins.</summary>
    public ReadOnlySpan<long> FeatureBins(int feature) =>
        Features.AsSpan(FeatureOffsets[feature], (feature + 1 < FeatureOffsets.Length ? FeatureOffsets[feature + 1] : Features.Length) - FeatureOffsets[feature]);

    public void Clear()
    {
        Array.Clear(Features);
        Array.Clear(Score);
        Array.Clear(Unseen);
        Transactions = 0;
    }

    public void Add(DriftCounts other)
    {
        for (var i = 0; i < Features.Length; i++)
        {
            Features[i] += other.Features[i];
        }
        for (var i = 0; i < Score.Length; i++)
        {
            Score[i] += other.Score[i];
        }
        for (var i = 0; i < Unseen.Length; i++)
        {
            Unseen[i] += other.Unseen[i];
        }
        Transactions += other.Transactions;
    }
}
