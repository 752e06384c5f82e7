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
}
