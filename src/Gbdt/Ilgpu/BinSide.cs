using ILGPU;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>A tree split: left when the row's bin of the feature is ≤ the split bin (the missing bin, 255, always goes right).</summary>
internal readonly struct BinSide(ArrayView<byte> rowBins, int featureCount) : IRowSide
{
    public readonly ArrayView<byte> RowBins = rowBins;
    public readonly int FeatureCount = featureCount;

    public bool GoesLeft(int row, int feature, int bin) => RowBins[((long)row * FeatureCount) + feature] <= bin;
}
