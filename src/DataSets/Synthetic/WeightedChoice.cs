namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>
/// A choice among options in proportion to their weights (only the ratios matter; an option of weight 0 is never
/// picked): the fraud scenario a draw starts (<see cref="ScenarioMix"/>), the genuine behaviour a card takes up.
/// </summary>
public sealed class WeightedChoice
{
    private readonly double[] _cumulative;

    public WeightedChoice(IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Weights = weights;
        _cumulative = new double[weights.Count];
        var total = weights.Sum();
        var running = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            running += weights[i] / total;
            _cumulative[i] = running;
        }
    }

    public IReadOnlyList<double> Weights { get; }

    /// <summary>An index drawn in proportion to the weights.</summary>
    public int Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var target = random.NextDouble();
        for (var i = 0; i < _cumulative.Length; i++)
        {
            if (target < _cumulative[i] && Weights[i] > 0)
            {
                return i;
            }
        }
        for (var i = _cumulative.Length - 1; i >= 0; i--)
        {
            if (Weights[i] > 0)
            {
                return i;
            }
        }
        return 0;
    }

    /// <summary>The weighted mean of a per-option quantity (e.g. expected transactions per occurrence); 0 when no weight is positive.</summary>
    public double Mean(ReadOnlySpan<double> perOption)
    {
        var total = Weights.Sum();
        if (total <= 0)
        {
            return 0;
        }
        var mean = 0.0;
        for (var i = 0; i < perOption.Length; i++)
        {
            mean += Weights[i] / total * perOption[i];
        }
        return mean;
    }
}
