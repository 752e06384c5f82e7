using System.Diagnostics;
using Fraud.Streaming.DataSets.Replay;
using Fraud.Streaming.Producer.Output;

namespace Fraud.Streaming.Producer.Replay;

/// <summary>Writes a replay to <c>transactions.jsonl</c> and, where the dataset has labels, <c>labels.jsonl</c>.</summary>
internal static class ReplayFileExport
{
    public static ReplaySummary Run(ReplaySource source, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var stopwatch = Stopwatch.StartNew();
        long transactions = 0, labels = 0, fraud = 0;
        using (var txWriter = new JsonlFileWriter(Path.Combine(directory, SyntheticFileExport.TransactionsFile)))
        using (var labelWriter = new JsonlFileWriter(Path.Combine(directory, SyntheticFileExport.LabelsFile)))
        {
            foreach (var (transaction, label) in source.Records())
            {
                if ((transactions & 0xFFF) == 0 && cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                txWriter.Write(transaction);
                transactions++;
                if (label is not null)
                {
                    labelWriter.Write(label);
                    labels++;
                    fraud += label.IsFraud ? 1 : 0;
                }
            }
        }
        return new ReplaySummary(transactions, labels, fraud, source.Malformed, stopwatch.Elapsed);
    }
}

internal readonly record struct ReplaySummary(long Transactions, long Labels, long Fraud, long Malformed, TimeSpan Elapsed)
{
    public override string ToString() => $"replayed transactions={Transactions} labels={Labels} fraud={Fraud} malformed={Malformed}";
}
