using System.Diagnostics;
using System.Globalization;
using Fraud.Streaming.Scorer;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scoring.Benchmarks;

/// <summary>
/// How long shifted traffic must flow before the scorer's drift window crosses the retrain limits: the newer half of a
/// world's history is scored as it is, then the same newer half of the same world generated with other amounts, through
/// the scorer's own <see cref="DriftMonitor"/> with the shipped window (Drift:WindowSeconds, WindowSlots) on a virtual
/// clock, reporting every Drift:ReportSeconds. What crosses depends on the shifted share of the window, not on the
/// rate (as long as the window holds the alerts' 1000 transactions), so the minutes hold at the demo's rate too.
/// </summary>
internal static class DriftCrossing
{
    private const double Limit = 0.25;

    public static int Run(string modelDirectory, string transactions, string labels, string shifted, string shiftedLabels)
    {
        var model = LoadedModel.FromDirectory(modelDirectory, BatchScorer.Spec);
        var options = new DriftOptions();
        var drift = new DriftMonitor(options, "crossing");
        var before = Read(transactions);
        var after = Read(shifted);
        var half = before.Count / 2;
        // The unshifted half fills exactly one window; the shifted half keeps the same virtual rate. Features that grow
        // with history (30-day counts) already differ from the training reference before the shift: those are listed
        // and left out of the crossing.
        var ticksPerTransaction = (double)Stopwatch.Frequency * options.WindowSeconds / half;
        var clock = 0L;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// window {options.WindowSeconds} s in {options.WindowSlots} slots, a report every {options.ReportSeconds} s; {half} transactions per window ({half / (double)options.WindowSeconds:F0} tx/s virtual)"));
        Score(model, before, transactions, labels, half, i => i >= half, batch => { clock += (long)(batch.Count * ticksPerTransaction); drift.Observe(model, batch, clock); });
        var shiftStart = clock;
        var baseline = drift.Report(clock, DateTimeOffset.UtcNow)[^1].Window;
        var stable = baseline.FeaturePsi.Where(kv => kv.Value < Limit).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// before the shift: score PSI {baseline.ScorePsi:F3}; features at or over {Limit} already: {string.Join(", ", baseline.FeaturePsi.Where(kv => kv.Value >= Limit).Select(kv => $"{kv.Key} {kv.Value:F2}"))}"));
        var nextReport = clock + Stopwatch.Frequency * options.ReportSeconds;
        double? featureAt = null, scoreAt = null;
        Score(model, after, shifted, shiftedLabels, half, i => i >= half, batch =>
        {
            clock += (long)(batch.Count * ticksPerTransaction);
            drift.Observe(model, batch, clock);
            while (clock >= nextReport)
            {
                var window = drift.Report(nextReport, DateTimeOffset.UtcNow)[^1].Window;
                var seconds = (nextReport - shiftStart) / (double)Stopwatch.Frequency;
                var (feature, psi) = window.FeaturePsi.Where(kv => stable.Contains(kv.Key)).MaxBy(kv => kv.Value);
                if (featureAt is null && psi >= Limit)
                {
                    featureAt = seconds;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"feature PSI crosses {Limit} after {seconds / 60:F1} min: {feature} {psi:F3}, window {window.Transactions} tx"));
                }
                if (scoreAt is null && window.ScorePsi >= Limit)
                {
                    scoreAt = seconds;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"score PSI crosses {Limit} after {seconds / 60:F1} min: {window.ScorePsi:F3}"));
                }
                nextReport += Stopwatch.Frequency * options.ReportSeconds;
            }
        });
        if (featureAt is null)
        {
            Console.WriteLine("feature PSI never crossed the limit");
        }
        if (scoreAt is null)
        {
            Console.WriteLine("score PSI never crossed the limit");
        }
        return 0;
    }

    private static List<Transaction> Read(string path) =>
        [.. File.ReadLines(path).Select(l => TransactionValidator.TryParse(System.Text.Encoding.UTF8.GetBytes(l), out var t, out _) ? t : null)
            .OfType<Transaction>().OrderBy(t => t.EventTime)];

    /// <summary>Scores every transaction in history order (card state needs them all) and observes the batches of the chosen half.</summary>
    private static void Score(LoadedModel model, List<Transaction> all, string path, string labels, int half, Func<int, bool> observed, Action<BatchScorer> observe)
    {
        var entities = OfflineEntities.FromFilesAsync(BatchScorer.Spec, path, labels, EventTimeWindow.Now(ContractLimits.DefaultMaxFutureSkew), CancellationToken.None)
            .GetAwaiter().GetResult();
        var batch = new BatchScorer(512, BatchScorer.Spec, entities) { ReasonsFor = ReasonScope.None };
        for (var i = 0; i < all.Count; i++)
        {
            batch.Add(all[i], DateTimeOffset.UtcNow);
            // A batch never straddles the half, so each is observed whole or not at all.
            if (batch.IsFull || i == half - 1 || i == all.Count - 1)
            {
                batch.Score(model, DateTimeOffset.UtcNow);
                if (observed(i))
                {
                    observe(batch);
                }
                batch.Clear();
            }
        }
    }
}
