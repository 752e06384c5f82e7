namespace Fraud.Streaming.Gbdt;

/// <summary>The best split of one node on one feature; <see cref="Bin"/> = -1 when none is allowed.</summary>
internal struct SplitCandidate
{
    public double Gain;
    public int Bin;
    public long LeftG;
    public long LeftH;
}
