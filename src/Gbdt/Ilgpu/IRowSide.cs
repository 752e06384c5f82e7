namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>Which side of a split a row goes to, for <see cref="PartitionKernels"/>.</summary>
internal interface IRowSide
{
    bool GoesLeft(int row, int feature, int bin);
}
