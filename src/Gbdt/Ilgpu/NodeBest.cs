namespace Fraud.Streaming.Gbdt.Ilgpu;

/// <summary>What the host receives per active node of a level: its best split and its row count (to size the next launches).</summary>
internal struct NodeBest
{
    public SplitCandidate Split;
    public int Rows;
}
