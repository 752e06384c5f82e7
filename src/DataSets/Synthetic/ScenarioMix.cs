using System.Globalization;

namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>
/// Relative weights of the fraud scenarios, e.g. <c>card_testing=0.3,account_takeover=0.2</c>. Weights are
/// normalised, so only their ratios matter; a scenario left out never happens.
/// </summary>
public sealed class ScenarioMix
{
    private readonly WeightedChoice _choice;

    private ScenarioMix(double[] weights) => _choice = new WeightedChoice(weights);

    /// <summary>
    /// The short scenarios, fraud that looks genuine (friendly fraud, low and slow) included. A compromised merchant
    /// runs for weeks with fraud in proportion to the merchant's traffic, so it is asked for by name
    /// (<c>--scenario-mix ...,compromised_merchant=0.05</c>): in a short world its weeks would be cut off by the end of
    /// the run, and the fraud rate with them.
    /// </summary>
    public static ScenarioMix Default { get; } = new([0.15, 0.12, 0.1, 0.08, 0.1, 0, 0.25, 0.2]);

    /// <summary>The classic world's five short scenarios (<c>--world classic</c>).</summary>
    public static ScenarioMix Classic { get; } = new([0.3, 0.2, 0.2, 0.15, 0.15, 0, 0, 0]);

    /// <summary>Weight per scenario, indexed like <see cref="FraudScenarios.All"/>.</summary>
    public IReadOnlyList<double> Weights => _choice.Weights;

    public static ScenarioMix Only(string scenario) => Parse($"{scenario}=1");

    public static ScenarioMix Parse(string text)
    {
        if (!TryParse(text, out var mix, out var error))
        {
            throw new FormatException(error);
        }
        return mix;
    }

    public static bool TryParse(string text, out ScenarioMix mix, out string error)
    {
        mix = Default;
        var weights = new double[FraudScenarios.All.Length];
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq].Trim();
            var index = Array.IndexOf(FraudScenarios.All, name);
            if (index < 0)
            {
                error = $"unknown scenario '{name}'; known: {string.Join(", ", FraudScenarios.All)}";
                return false;
            }
            if (eq < 0 || !double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || weight < 0 || !double.IsFinite(weight))
            {
                error = $"'{part}' needs a non-negative weight, e.g. {name}=0.3";
                return false;
            }
            weights[index] = weight;
        }
        if (weights.Sum() <= 0)
        {
            error = "the scenario mix needs at least one positive weight";
            return false;
        }
        mix = new ScenarioMix(weights);
        error = string.Empty;
        return true;
    }

    /// <summary>A scenario index drawn in proportion to the weights.</summary>
    public int Pick(Random random) => _choice.Pick(random);

    /// <summary>The weighted mean of a per-scenario quantity (e.g. expected fraud transactions per scenario).</summary>
    public double Mean(ReadOnlySpan<double> perScenario) => _choice.Mean(perScenario);

    public override string ToString() =>
        string.Join(',', FraudScenarios.All.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{n}={Weights[i]:0.###}")));
}
