namespace Fraud.Streaming.Trainer.Evaluation;

/// <summary>One score decile: how many rows, the mean predicted probability, and the fraud rate actually seen.</summary>
internal sealed record ReliabilityBin(int Decile, long Count, double MeanPredicted, double ObservedRate, float MinScore, float MaxScore);

/// <summary>
/// How well scores read as probabilities. Reliability is by decile of the score (ten equal-count groups, lowest
/// first), because fraud scores crowd near zero and equal-width bins would leave nine of ten nearly empty; the
/// expected calibration error is the row-weighted mean |mean predicted − observed rate| over those deciles; the
/// Brier score is the mean squared error of the probability against the 0/1 label.
/// </summary>
internal sealed record CalibrationReport(double Brier, double ExpectedCalibrationError, IReadOnlyList<ReliabilityBin> Deciles)
{
    public const int Bins = 10;

    /// <exception cref="ArgumentException">lengths differ or there are no rows.</exception>
    public static CalibrationReport Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length || scores.Length == 0)
        {
            throw new ArgumentException($"{scores.Length} scores for {labels.Length} labels: need the same, non-zero number");
        }
        var n = scores.Length;
        double brier = 0;
        for (var i = 0; i < n; i++)
        {
            var d = scores[i] - (labels[i] ? 1.0 : 0.0);
            brier += d * d;
        }
        var s = scores.ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) => s[a] != s[b] ? s[a].CompareTo(s[b]) : a.CompareTo(b));
        var bins = new List<ReliabilityBin>(Bins);
        double ece = 0;
        for (var b = 0; b < Bins; b++)
        {
            var start = (int)((long)b * n / Bins);
            var end = (int)((long)(b + 1) * n / Bins);
            if (end == start)
            {
                continue;
            }
            double predicted = 0;
            long positives = 0;
            for (var k = start; k < end; k++)
            {
                predicted += s[order[k]];
                positives += labels[order[k]] ? 1 : 0;
            }
            var count = end - start;
            var bin = new ReliabilityBin(b + 1, count, predicted / count, (double)positives / count, s[order[start]], s[order[end - 1]]);
            bins.Add(bin);
            ece += (double)count / n * Math.Abs(bin.MeanPredicted - bin.ObservedRate);
        }
        return new CalibrationReport(brier / n, ece, bins);
    }
}
