using System.Globalization;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>Hyper-parameters of the LightGBM baseline.</summary>
internal sealed record GbdtParameters(int Rounds = 100, int Leaves = 31, int MinLeafRows = 20, double LearningRate = 0.1, int Seed = 42, int? Threads = null)
{
    /// <summary>The parameters as recorded in the manifest and hashed into the content hash (threads do not change the model).</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        yield return new("rounds", Rounds.ToString(CultureInfo.InvariantCulture));
        yield return new("leaves", Leaves.ToString(CultureInfo.InvariantCulture));
        yield return new("min_leaf_rows", MinLeafRows.ToString(CultureInfo.InvariantCulture));
        yield return new("learning_rate", LearningRate.ToString("R", CultureInfo.InvariantCulture));
        yield return new("seed", Seed.ToString(CultureInfo.InvariantCulture));
    }
}
