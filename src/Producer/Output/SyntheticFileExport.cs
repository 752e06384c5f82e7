using System.Collections.Concurrent;
using System.Diagnostics;
using Fraud.Streaming.Producer.Malformed;
using Fraud.Streaming.DataSets.Synthetic;

namespace Fraud.Streaming.Producer.Output;

/// <summary>
/// Writes a synthetic run to <c>transactions.jsonl</c> and <c>labels.jsonl</c> (the labels the feed carries: fraud
/// reports and reviews, or every label with <c>--labels all</c>), and <c>malformed.jsonl</c> when asked.
/// </summary>
internal static class SyntheticFileExport
{
    public const string TransactionsFile = "transactions.jsonl";
    public const string LabelsFile = "labels.jsonl";
    public const string MalformedFile = "malformed.jsonl";

    private const int BatchSize = 4096;

    public static ExportSummary Run(SyntheticSettings settings, string directory, int malformed, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var stopwatch = Stopwatch.StartNew();
        var generator = new SyntheticGenerator(settings);
        long fraud = 0;
        long written = 0;
        long labelled = 0;
        // Generation and serialization each take about half the time, so they run on two threads: a task fills
        // batches in event order, this thread writes them. Batches are recycled; order, and so the bytes, stay the same.
        using var full = new BlockingCollection<GeneratedEvent[]>(boundedCapacity: 4);
        using var empty = new BlockingCollection<GeneratedEvent[]>();
        for (var i = 0; i < 6; i++)
        {
            empty.Add(new GeneratedEvent[BatchSize], CancellationToken.None);
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var filler = Task.Run(() =>
        {
            try
            {
                for (long done = 0; done < settings.Count && !stop.IsCancellationRequested;)
                {
                    var batch = empty.Take(stop.Token);
                    var size = (int)Math.Min(BatchSize, settings.Count - done);
                    for (var i = 0; i < size; i++)
                    {
                        batch[i] = generator.Next();
                    }
                    done += size;
                    full.Add(size == BatchSize ? batch : batch[..size], stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped by the caller or because the writer failed; the writer sees the adding end.
            }
            finally
            {
                full.CompleteAdding();
            }
        }, CancellationToken.None);

        try
        {
            using var transactions = new JsonlFileWriter(Path.Combine(directory, TransactionsFile));
            using var labels = new JsonlFileWriter(Path.Combine(directory, LabelsFile));
            foreach (var batch in full.GetConsumingEnumerable(CancellationToken.None))
            {
                foreach (var e in batch)
                {
                    transactions.Write(e.Transaction);
                    if (e.Published)
                    {
                        labels.Write(e.Label);
                        labelled++;
                    }
                    fraud += e.Label.IsFraud ? 1 : 0;
                }
                written += batch.Length;
                if (batch.Length == BatchSize)
                {
                    Array.Clear(batch);
                    empty.Add(batch, CancellationToken.None);
                }
            }
        }
        finally
        {
            stop.Cancel();
            filler.GetAwaiter().GetResult();
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
        return new ExportSummary(written, labelled, fraud, malformed, stopwatch.Elapsed);
    }
}

internal readonly record struct ExportSummary(long Transactions, long Labels, long Fraud, int Malformed, TimeSpan Elapsed);
