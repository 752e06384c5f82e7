namespace Fraud.Streaming.Gbdt.Tests;

/// <summary>Small seeded datasets: a noisy linear-plus-interaction signal, some missing values, a rare positive class.</summary>
internal static class SyntheticData
{
    public static GbdtDataset Make(int rows, int features, int seed, double missingRate = 0.05, double positiveShift = -1.5, double noise = 0.5)
    {
        var random = new Random(seed);
        var x = new float[rows * features];
        var y = new bool[rows];
        for (var r = 0; r < rows; r++)
        {
            double score = positiveShift;
            for (var f = 0; f < features; f++)
            {
                var v = (float)Math.Round((random.NextDouble() * 4) - 2, 2);
                if (f % 3 == 0)
                {
                    v = MathF.Round(v * 3); // a few discrete features
                }
                score += f switch
                {
                    0 => 1.2 * v,
                    1 => -0.8 * v,
                    2 => v * v * 0.5,
                    _ => 0.05 * v,
                };
                x[(r * features) + f] = random.NextDouble() < missingRate ? float.NaN : v;
            }
            y[r] = score + (noise * (random.NextDouble() - 0.5) * 4) > 0;
        }
        return new GbdtDataset(x, rows, features, y);
    }
}
