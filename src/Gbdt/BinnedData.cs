namespace Fraud.Streaming.Gbdt;

/// <summary>
/// Training features as byte bins, column-major (<c>Bins[feature * RowCount + row]</c>). Value bins are 0..NumBins[f]-1;
/// <see cref="MissingBin"/> holds NaN. <c>x &lt;= Thresholds[f][b]</c> is equivalent to <c>bin &lt;= b</c> on the training rows.
/// </summary>
internal sealed class BinnedData(byte[] bins, int rowCount, int featureCount, int[] numBins, float[][] thresholds)
{
    public const int MissingBin = 255;
    /// <summary>Histogram slots per feature: 255 value bins and the missing bin.</summary>
    public const int BinStride = 256;

    public byte[] Bins { get; } = bins;
    public int RowCount { get; } = rowCount;
    public int FeatureCount { get; } = featureCount;
    public int[] NumBins { get; } = numBins;
    public float[][] Thresholds { get; } = thresholds;

    /// <summary>A row-major copy of the bins (<c>[row * FeatureCount + feature]</c>): histogram passes read a row's bins side by side.</summary>
    public byte[] RowMajor(ParallelOptions parallel)
    {
        const int BlockRows = 1 << 14;
        var n = RowCount;
        var features = FeatureCount;
        var rowBins = new byte[(long)n * features];
        Parallel.For(0, (n + BlockRows - 1) / BlockRows, parallel, blk =>
        {
            var end = Math.Min(n, (blk + 1) * BlockRows);
            for (var f = 0; f < features; f++)
            {
                var column = Bins.AsSpan(f * n, n);
                for (var r = blk * BlockRows; r < end; r++)
                {
                    rowBins[((long)r * features) + f] = column[r];
                }
            }
        });
        return rowBins;
    }
}
