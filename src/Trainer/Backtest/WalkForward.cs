using System.Globalization;
using Fraud.Streaming.Gbdt;
using Fraud.Streaming.Shared.Progress;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Backtest;

/// <summary>
/// Walk-forward evaluation: at each retrain time, train on what was known then (transactions before it, labels
/// received by it, silence counted as genuine only after the maturity window; vocabularies learned from those training
/// rows), score the transactions until the next retrain with that model, and measure against what eventually became of them.
/// </summary>
internal sealed class WalkForward(BacktestHistory history, BacktestSettings settings, ProgressDisplay progress)
{
    public IReadOnlyList<PeriodResult> Run(CancellationToken cancellationToken)
    {
        var results = new List<PeriodResult>();
        if (history.Count == 0)
        {
            return results;
        }
        var first = new DateTimeOffset(history.Ticks[0], TimeSpan.Zero);
        var last = new DateTimeOffset(history.Ticks[^1], TimeSpan.Zero);
        var every = TimeSpan.FromDays(settings.EveryDays);
        var maturity = TimeSpan.FromDays(settings.LabelMaturityDays).Ticks;
        var start = settings.FirstRetrain ?? first.AddDays(settings.WarmupDays);
        var periods = Math.Max(0, (int)Math.Ceiling((last - start) / every));
        for (var k = 0; k < periods; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var at = start + (every * k);
            var from = history.FirstAtOrAfter(at.UtcTicks);
            var to = history.FirstAtOrAfter((at + every).UtcTicks);
            var rows = history.TrainingRowsAsOf(at.UtcTicks, maturity);
            var fraud = (int)rows.FraudCount;
            if (from == to || fraud == 0 || fraud == rows.RowCount)
            {
                progress.Report(string.Create(CultureInfo.InvariantCulture, $"period {k + 1}/{periods} from {at:yyyy-MM-dd}: skipped ({rows.RowCount} training rows, {fraud} fraud, {to - from} to score)"));
                continue;
            }
            var validation = Math.Max(1, (int)(rows.RowCount * settings.ValidationFraction));
            var train = rows.Slice(0, rows.RowCount - validation);
            var encoding = VocabularyFitter.Fit(train, settings.Vocabulary);
            train = train.Encode(encoding);
            var check = rows.Slice(rows.RowCount - validation, validation).Encode(encoding);
            var model = TrainedGbdt.Train(train, check.FraudCount > 0 ? check : null, settings.Gbdt with { Device = GbdtDevice.Cpu }, cancellationToken: cancellationToken);
            var scores = model.PredictReference(history.Slice(from, to).Encode(encoding));
            var result = PeriodMetrics.Measure(history, from, to, scores, at, at + every, rows.RowCount, fraud);
            results.Add(result);
            progress.Report(string.Create(CultureInfo.InvariantCulture,
                $"period {k + 1}/{periods} from {at:yyyy-MM-dd}: trained on {rows.RowCount} rows ({fraud} fraud), scored {result.Scored} ({result.Fraud} fraud): roc_auc={result.RocAuc:F4} recall@1%fpr={result.RecallAt1PctFpr:F3}"));
        }
        return results;
    }
}
