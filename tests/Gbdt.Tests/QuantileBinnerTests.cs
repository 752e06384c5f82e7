namespace Fraud.Streaming.Gbdt.Tests;

public sealed class QuantileBinnerTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(255)]
    public void A_threshold_sends_exactly_the_rows_of_its_bins_left(int maxBins)
    {
        var data = SyntheticData.Make(3000, 5, seed: 12, missingRate: 0.1);
        var binned = QuantileBinner.Bin(data, maxBins, new ParallelOptions());
        var x = data.Features.Span;
        for (var f = 0; f < data.FeatureCount; f++)
        {
            Assert.InRange(binned.NumBins[f], 1, maxBins);
            for (var b = 0; b < binned.NumBins[f]; b++)
            {
                var threshold = binned.Thresholds[f][b];
                for (var r = 0; r < data.RowCount; r++)
                {
                    var bin = binned.Bins[(f * data.RowCount) + r];
                    Assert.Equal(bin <= b, x[(r * data.FeatureCount) + f] <= threshold);
                }
            }
        }
    }

    [Fact]
    public void Bins_hold_about_equal_row_counts_and_nan_gets_the_missing_bin()
    {
        var rows = 10_000;
        var x = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            x[i] = i % 100 == 0 ? float.NaN : i * 0.37f;
        }
        var binned = QuantileBinner.Bin(new GbdtDataset(x, rows, 1, new bool[rows]), 16, new ParallelOptions());

        Assert.Equal(16, binned.NumBins[0]);
        var counts = new int[256];
        foreach (var b in binned.Bins)
        {
            counts[b]++;
        }
        Assert.Equal(100, counts[BinnedData.MissingBin]);
        Assert.All(counts.Take(16), c => Assert.InRange(c, 550, 690));
    }
}
