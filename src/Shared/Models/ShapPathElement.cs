namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// One feature on the path TreeSHAP carries down a tree: the share of the "feature unknown" subsets that follow the
/// path (<see cref="Zero"/>: the product of cover fractions), whether the row itself follows it (<see cref="One"/>),
/// and the permutation weight of the subsets of this size (<see cref="Weight"/>).
/// </summary>
internal struct ShapPathElement
{
    public int Feature;
    public double Zero;
    public double One;
    public double Weight;
}
