using System.Globalization;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// Hyper-parameters of the ML.NET LightGBM baseline. <see cref="MaxDepth"/>, <see cref="MinChildWeight"/> and <see cref="L2"/> are
/// left at LightGBM's defaults by <c>train</c>; <c>bench</c> sets them to match our GBDT's depth-wise trees.
/// </summary>
internal sealed record LightGbmParameters(int Rounds = 100, int Leaves = 31, int MinLeafRows = 20, double LearningRate = 0.1, int Seed = 42,
    int? Threads = null, int MaxBins = 255, int? MaxDepth = null, double? MinChildWeight = null, double? L2 = null)
{
    /// <summary>The parameters as recorded in the manifest and hashed into the content hash (threads do not change the model).</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        yield return new("rounds", Rounds.ToString(CultureInfo.InvariantCulture));
        yield return new("leaves", Leaves.ToString(CultureInfo.InvariantCulture));
        yield return new("min_leaf_rows", MinLeafRows.ToString(CultureInfo.InvariantCulture));
        yield return new("learning_rate", LearningRate.ToString("R", CultureInfo.InvariantCulture));
        yield return new("max_bins", MaxBins.ToString(CultureInfo.InvariantCulture));
        if (MaxDepth is { } depth)
        {
            yield return new("max_depth", depth.ToString(CultureInfo.InvariantCulture));
        }
        if (MinChildWeight is { } weight)
        {
            yield return new("min_child_weight", weight.ToString("R", CultureInfo.InvariantCulture));
        }
        if (L2 is { } l2)
        {
            yield return new("lambda", l2.ToString("R", CultureInfo.InvariantCulture));
        }
        yield return new("seed", Seed.ToString(CultureInfo.InvariantCulture));
    }
}
