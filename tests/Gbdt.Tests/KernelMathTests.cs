using System.Runtime.Intrinsics;

namespace Fraud.Streaming.Gbdt.Tests;

public sealed class KernelMathTests
{
    [Fact]
    public void The_eight_lane_sigmoid_matches_the_scalar_one_bit_for_bit()
    {
        var random = new Random(7);
        var margins = new List<double> { 0.0, -0.0, 40, -40, 40.5, -40.5, 1e-300, -1e-300, 0.34657359027997264, -0.34657359027997264, 1000, -1000 };
        for (var i = 0; i < 100_000; i++)
        {
            margins.Add((random.NextDouble() * 100) - 50);
        }
        for (var k = -60; k <= 60; k++)
        {
            // Margins where the rounding of x / ln 2 to k changes.
            margins.Add((k + 0.5) * Math.Log(2));
            margins.Add(Math.BitIncrement((k + 0.5) * Math.Log(2)));
            margins.Add(Math.BitDecrement((k + 0.5) * Math.Log(2)));
        }
        while (margins.Count % 8 != 0)
        {
            margins.Add(1.0);
        }
        var values = margins.ToArray();
        for (var i = 0; i < values.Length; i += 8)
        {
            var vector = KernelMath.Sigmoid(Vector512.Create(values.AsSpan(i, 8)));
            for (var lane = 0; lane < 8; lane++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(KernelMath.Sigmoid(values[i + lane])), BitConverter.DoubleToInt64Bits(vector[lane]));
            }
        }
    }
}
