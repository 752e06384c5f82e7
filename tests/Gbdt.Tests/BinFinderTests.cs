namespace Fraud.Streaming.Gbdt.Tests;

public sealed class BinFinderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(255)]
    [InlineData(256)]
    public void Finds_the_same_bin_as_the_binary_search(int edges)
    {
        var random = new Random(edges);
        var upper = Enumerable.Range(0, edges * 3).Select(_ => (float)((random.NextDouble() * 20) - 10)).Distinct().Order().Take(edges).ToArray();
        upper[^1] = float.PositiveInfinity;
        var finder = new BinFinder(upper);
        var probes = new List<float> { float.NegativeInfinity, float.PositiveInfinity, 0f, -0f, float.MaxValue, float.MinValue, float.Epsilon };
        foreach (var e in upper)
        {
            probes.AddRange([e, MathF.BitIncrement(e), MathF.BitDecrement(e)]);
        }
        for (var i = 0; i < 2000; i++)
        {
            probes.Add((float)((random.NextDouble() * 24) - 12));
        }
        foreach (var v in probes)
        {
            Assert.Equal(QuantileBinner.FindBin(upper, v), finder.Find(v));
        }
    }
}
