using System.Diagnostics;
using Fraud.Streaming.Producer.Malformed;
using Fraud.Streaming.Producer.Synthetic;

namespace Fraud.Streaming.Producer.Output;

/// <summary>Writes a synthetic run to <c>transactions.jsonl</c> and <c>labels.jsonl</c> (and <c>malformed.jsonl</c> when asked).</summary>
internal static class SyntheticFileExport
{
    public const string TransactionsFile = "transactions.jsonl";
    public const string LabelsFile = "labels.jsonl";
    public const string MalformedFile = "malformed.jsonl";

    public static ExportSummary Run(SyntheticSettings settings, string directory, int malformed, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var stopwatch = Stopwatch.StartNew();
        var generator = new SyntheticGenerator(settings);
        long fraud = 0;
        using (var transactions = new JsonlFileWriter(Path.Combine(directory, TransactionsFile)))
        using (var labels = new JsonlFileWriter(Path.Combine(directory, LabelsFile)))
        {
            for (var i = 0; i < settings.Count; i++)
            {
                if ((i & 0xFFFF) == 0 && cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                var e = generator.Next();
                transactions.Write(e.Transaction);
                labels.Write(e.Label);
                if (e.Label.IsFraud)
                {
                    fraud++;
                }
            }
        }

        if (malformed > 0)
        {
            // Built from a fresh generator so the valid files stay identical with or without --malformed.
            var templates = new SyntheticGenerator(settings);
            using var writer = new JsonlFileWriter(Path.Combine(directory, MalformedFile));
            for (var i = 0; i < malformed; i++)
            {
                writer.WriteRaw(MalformedMessageFactory.Create(i, settings.Seed, templates.Next().Transaction).Value);
            }
        }
        return new ExportSummary(generator.Emitted, fraud, malformed, stopwatch.Elapsed);
    }
}

internal readonly record struct ExportSummary(long Transactions, long Fraud, int Malformed, TimeSpan Elapsed);
