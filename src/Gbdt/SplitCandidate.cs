namespace Fraud.Streaming.Gbdt;

/// <summary>
/// A split of one node: rows with bin ≤ <see cref="Bin"/> of <see cref="Feature"/> go left, with integer gradient and
/// hessian sums <see cref="LeftG"/> and <see cref="LeftH"/>. <see cref="Bin"/> = -1 when none is allowed.
/// </summary>
internal struct SplitCandidate
{
    public double Gain;
    public int Feature;
    public int Bin;
    public long LeftG;
    public long LeftH;

    public static SplitCandidate None(double gain) => new() { Gain = gain, Feature = -1, Bin = -1 };
}
