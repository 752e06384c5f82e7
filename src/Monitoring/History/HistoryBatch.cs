using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>Parsed messages waiting to be written together in one Postgres transaction.</summary>
internal sealed class HistoryBatch
{
    public List<Transaction> Transactions { get; } = [];
    public List<Verdict> Verdicts { get; } = [];
    public List<Label> Labels { get; } = [];

    public int Count => Transactions.Count + Verdicts.Count + Labels.Count;

    public void Clear()
    {
        Transactions.Clear();
        Verdicts.Clear();
        Labels.Clear();
    }
}
