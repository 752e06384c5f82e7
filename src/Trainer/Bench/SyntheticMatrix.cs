namespace Fraud.Streaming.Trainer.Bench;

/// <summary>
/// A deterministic rows × features matrix for speed runs: features uniform in [0, 1) from SplitMix64 (stable across
/// runtimes, unlike <see cref="Random"/>'s algorithm), about 1% missing (NaN); the label is drawn from a logistic
/// model of the first ten features with one interaction, about 10% positive.
/// </summary>
internal static class SyntheticMatrix
{
    public static (float[] Features, bool[] Labels) Generate(int rows, int features, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        var x = new float[(long)rows * features];
        var y = new bool[rows];
        var state = (ulong)seed * 0x9E3779B97F4A7C15UL + 1;
        var informative = Math.Min(10, features);
        for (var i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * features, features);
            for (var j = 0; j < features; j++)
            {
                var u = Uniform(ref state);
                row[j] = u < 0.01 ? float.NaN : (float)Uniform(ref state);
            }
            double logit = -3.2;
            for (var j = 0; j < informative; j++)
            {
                var v = float.IsNaN(row[j]) ? 0.5 : row[j];
                logit += (j % 2 == 0 ? 1.5 : -1.0) * v;
            }
            if (features >= 2 && !float.IsNaN(row[0]) && !float.IsNaN(row[1]))
            {
                logit += 3 * row[0] * row[1];
            }
            y[i] = Uniform(ref state) < 1 / (1 + Math.Exp(-logit));
        }
        return (x, y);
    }

    private static double Uniform(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
