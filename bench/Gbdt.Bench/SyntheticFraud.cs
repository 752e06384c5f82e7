namespace Fraud.Streaming.Gbdt.Bench;

/// <summary>
/// Deterministic transaction-like rows: a few strong signals, interactions, discrete and heavy-tailed features,
/// 2% missing values and a rare positive class. The same (rows, features, seed) always gives the same data.
/// </summary>
internal static class SyntheticFraud
{
    private const int ChunkRows = 65_536;

    public static GbdtDataset Make(int rows, int features, int seed)
    {
        var x = new float[(long)rows * features];
        var y = new bool[rows];
        var chunks = (rows + ChunkRows - 1) / ChunkRows;
        Parallel.For(0, chunks, chunk =>
        {
            var state = Mix(((ulong)(uint)seed << 32) ^ (ulong)chunk ^ 0xD1B54A32D192ED03UL);
            var end = Math.Min(rows, (chunk + 1) * ChunkRows);
            for (var r = chunk * ChunkRows; r < end; r++)
            {
                double score = -3.6;
                for (var f = 0; f < features; f++)
                {
                    var u = Next(ref state);
                    float v = (f % 5) switch
                    {
                        0 => (float)(-Math.Log(1 - u) * 50), // amount-like, heavy tail
                        1 => MathF.Floor((float)(u * 24)), // hour-like, discrete
                        2 => u < 0.1 ? 1 : 0, // flag
                        _ => (float)((u * 2) - 1),
                    };
                    // The first ten features carry the signal; the rest are noise.
                    score += f switch
                    {
                        0 => v > 150 ? 1.5 : 0,
                        1 => v < 5 ? 0.8 : 0,
                        2 => 1.2 * v,
                        3 => 1.5 * v * v,
                        4 => -1.0 * v,
                        5 => 0.004 * v,
                        7 => 0.8 * v,
                        8 => 0.6 * v,
                        9 => 0.3 * v,
                        _ => 0,
                    };
                    x[((long)r * features) + f] = Next(ref state) < 0.02 ? float.NaN : v;
                }
                y[r] = score + (Normal(ref state) * 0.8) > 0;
            }
        });
        return new GbdtDataset(x, rows, features, y);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static double Next(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return (Mix(state) >> 11) * (1.0 / (1UL << 53));
    }

    private static double Normal(ref ulong state)
    {
        var u1 = 1 - Next(ref state);
        var u2 = Next(ref state);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
