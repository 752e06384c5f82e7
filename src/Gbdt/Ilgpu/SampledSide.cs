using ILGPU;

namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>The round's row sample: left when the row is in it (its hessian is not the -1 mark).</summary>
internal readonly struct SampledSide(ArrayView<double> h) : IRowSide
{
    public readonly ArrayView<double> H = h;

    public bool GoesLeft(int row, int feature, int bin) => H[row] >= 0;
}
