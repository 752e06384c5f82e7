using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Tests;

public sealed class DeterministicMathTests
{
    [Fact]
    public void Exp_log_sin_and_cos_agree_with_the_platform_to_well_below_float_precision()
    {
        var random = new Random(5);
        for (var i = 0; i < 20_000; i++)
        {
            var x = -(random.NextDouble() * 60);
            Assert.True(RelativeError(DeterministicMath.Exp(x), Math.Exp(x)) < 1e-14, $"exp({x})");
            var y = Math.Exp(random.NextDouble() * 40 - 20);
            Assert.True(Math.Abs(DeterministicMath.Log(y) - Math.Log(y)) < 1e-14 * Math.Max(1, Math.Abs(Math.Log(y))), $"log({y})");
            var a = (random.NextDouble() * 4 * Math.PI) - (2 * Math.PI);
            Assert.True(Math.Abs(DeterministicMath.Sin(a) - Math.Sin(a)) < 1e-12, $"sin({a})");
            Assert.True(Math.Abs(DeterministicMath.Cos(a) - Math.Cos(a)) < 1e-12, $"cos({a})");
        }
        Assert.Equal(1d, DeterministicMath.Exp(0));
        Assert.Equal(0d, DeterministicMath.Log(1));
        Assert.Equal(0d, DeterministicMath.Exp(-1000));
        Assert.True(double.IsNaN(DeterministicMath.Log(-1)));
    }

    private static double RelativeError(double actual, double expected) => Math.Abs(actual - expected) / expected;
}
