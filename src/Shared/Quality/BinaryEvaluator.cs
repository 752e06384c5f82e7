namespace Fraud.Streaming.Shared.Quality;

/// <summary>
/// Ranking metrics of a binary scorer (the trainer's evaluation, Monitoring's live quality). Tied scores are one threshold step, so rows with equal scores are never
/// split by an arbitrary order: ROC-AUC counts a tied positive/negative pair as half, average precision takes
/// one precision/recall point per distinct score.
/// </summary>
public sealed class BinaryEvaluator
{
    private readonly float[] _scores;
    private readonly bool[] _labels;
    private readonly float[] _negativesDescending;

    /// <exception cref="ArgumentException">lengths differ, or a class is missing (the metrics are undefined).</exception>
    public BinaryEvaluator(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"{scores.Length} scores for {labels.Length} labels");
        }
        _scores = scores.ToArray();
        _labels = labels.ToArray();
        Positives = _labels.LongCount(l => l);
        Negatives = _labels.Length - Positives;
        if (Positives == 0 || Negatives == 0)
        {
            throw new ArgumentException($"ranking metrics need both classes: {Positives} positive, {Negatives} negative rows");
        }
        foreach (var s in _scores)
        {
            if (float.IsNaN(s))
            {
                throw new ArgumentException("a score is NaN");
            }
        }
        _negativesDescending = _scores.Where((_, i) => !_labels[i]).OrderByDescending(s => s).ToArray();
    }

    public long Positives { get; }
    public long Negatives { get; }

    /// <summary>Probability that a random positive scores above a random negative (ties count half).</summary>
    public double RocAuc()
    {
        double pairs = 0;
        long positivesAbove = 0;
        foreach (var (p, n) in TieGroupsDescending())
        {
            pairs += n * (positivesAbove + (0.5 * p));
            positivesAbove += p;
        }
        return pairs / ((double)Positives * Negatives);
    }

    /// <summary>Average precision: Σ (recall step) × precision, one step per distinct score, highest first.</summary>
    public double AveragePrecision()
    {
        double ap = 0;
        long tp = 0, fp = 0;
        foreach (var (p, n) in TieGroupsDescending())
        {
            tp += p;
            fp += n;
            if (p > 0)
            {
                ap += (double)p / Positives * ((double)tp / (tp + fp));
            }
        }
        return ap;
    }

    /// <summary>
    /// The lowest threshold whose false-positive rate (score ≥ threshold) does not exceed <paramref name="fpr"/>:
    /// just above the (⌊fpr·N⌋+1)-th highest negative score.
    /// </summary>
    public float ThresholdAtFpr(double fpr) => ThresholdAtFpr(_negativesDescending, _scores, fpr);

    /// <summary><see cref="ThresholdAtFpr(double)"/> over negatives' scores sorted descending; needs no positives.</summary>
    public static float ThresholdAtFpr(float[] negativesDescending, float[] allScores, double fpr)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fpr);
        var allowed = (long)Math.Floor((fpr * negativesDescending.Length) + 1e-9);
        if (allowed >= negativesDescending.Length)
        {
            return Math.Clamp(allScores.Min(), 0f, 1f);
        }
        return Math.Min(MathF.BitIncrement(negativesDescending[allowed]), 1f);
    }

    public Confusion At(float threshold)
    {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < _scores.Length; i++)
        {
            var flagged = _scores[i] >= threshold;
            if (_labels[i])
            {
                if (flagged) { tp++; } else { fn++; }
            }
            else
            {
                if (flagged) { fp++; } else { tn++; }
            }
        }
        return new Confusion(tp, fp, tn, fn);
    }

    public double RecallAtFpr(double fpr) => At(ThresholdAtFpr(fpr)).Recall;

    /// <summary>ROC curve points (false-positive rate, true-positive rate), one per distinct score, from (0, 0) to (1, 1).</summary>
    public IReadOnlyList<(double Fpr, double Tpr)> RocCurve()
    {
        var points = new List<(double, double)> { (0, 0) };
        long tp = 0, fp = 0;
        foreach (var (p, n) in TieGroupsDescending())
        {
            tp += p;
            fp += n;
            points.Add(((double)fp / Negatives, (double)tp / Positives));
        }
        return points;
    }

    /// <summary>Precision/recall points, one per distinct score, highest score first.</summary>
    public IReadOnlyList<(double Recall, double Precision)> PrecisionRecallCurve()
    {
        var points = new List<(double, double)>();
        long tp = 0, fp = 0;
        foreach (var (p, n) in TieGroupsDescending())
        {
            tp += p;
            fp += n;
            points.Add(((double)tp / Positives, (double)tp / (tp + fp)));
        }
        return points;
    }

    private IEnumerable<(long Positives, long Negatives)> TieGroupsDescending()
    {
        var order = Enumerable.Range(0, _scores.Length).OrderByDescending(i => _scores[i]).ToArray();
        var i = 0;
        while (i < order.Length)
        {
            var score = _scores[order[i]];
            long p = 0, n = 0;
            while (i < order.Length && _scores[order[i]] == score)
            {
                if (_labels[order[i]]) { p++; } else { n++; }
                i++;
            }
            yield return (p, n);
        }
    }
}
