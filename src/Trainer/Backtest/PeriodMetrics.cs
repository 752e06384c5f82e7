using Fraud.Streaming.Shared.Quality;

namespace Fraud.Streaming.Trainer.Backtest;

/// <summary>How well one period's scores caught its fraud, overall, per card and day, and per scenario.</summary>
internal static class PeriodMetrics
{
    private const int CardsPerDay = 100;

    /// <param name="rows">the history rows scored, in order; <paramref name="scores"/> aligned with them.</param>
    public static PeriodResult Measure(BacktestHistory history, int from, int to, float[] scores, DateTimeOffset start, DateTimeOffset end, int trainRows, int trainFraud)
    {
        var labels = Enumerable.Range(from, to - from).Select(history.Outcome).ToArray();
        var evaluator = new BinaryEvaluator(scores, labels);
        var both = evaluator.Positives > 0 && evaluator.Negatives > 0;
        var threshold = evaluator.Negatives > 0 ? evaluator.ThresholdAtFpr(0.01) : float.PositiveInfinity;
        var scenarios = new Dictionary<string, (int Fraud, int Caught)>(StringComparer.Ordinal);
        for (var i = from; i < to; i++)
        {
            if (labels[i - from] && history.Scenarios[i] is { } scenario)
            {
                var (fraud, caught) = scenarios.GetValueOrDefault(scenario);
                scenarios[scenario] = (fraud + 1, caught + (scores[i - from] >= threshold ? 1 : 0));
            }
        }
        return new PeriodResult(start, end, trainRows, trainFraud, to - from, (int)evaluator.Positives,
            both ? evaluator.RocAuc() : double.NaN,
            both ? evaluator.AveragePrecision() : double.NaN,
            both ? evaluator.RecallAtFpr(0.01) : double.NaN,
            CardPrecision(history, from, to, scores),
            scenarios.ToDictionary(kv => kv.Key, kv => new ScenarioRecall(kv.Value.Fraud, kv.Value.Caught / (double)kv.Value.Fraud), StringComparer.Ordinal));
    }

    /// <summary>
    /// Of the <see cref="CardsPerDay"/> highest-scored cards of each UTC day (a card's score: its highest that day), the
    /// share that had fraud that day, averaged over the days: what a review team working a fixed daily queue finds.
    /// </summary>
    private static double CardPrecision(BacktestHistory history, int from, int to, float[] scores)
    {
        var days = new List<double>();
        var i = from;
        while (i < to)
        {
            var day = history.Ticks[i] / TimeSpan.TicksPerDay;
            var cards = new Dictionary<ulong, (float Score, bool Fraud)>();
            for (; i < to && history.Ticks[i] / TimeSpan.TicksPerDay == day; i++)
            {
                var (score, fraud) = cards.GetValueOrDefault(history.Cards[i]);
                cards[history.Cards[i]] = (Math.Max(score, scores[i - from]), fraud || history.Outcome(i));
            }
            var top = cards.Values.OrderByDescending(c => c.Score).Take(CardsPerDay).ToList();
            if (top.Count > 0)
            {
                days.Add(top.Count(c => c.Fraud) / (double)top.Count);
            }
        }
        return days.Count == 0 ? double.NaN : days.Average();
    }
}
