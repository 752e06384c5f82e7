namespace Fraud.Streaming.Shared.Drift;

/// <summary>
/// The population stability index of observed bin counts against reference shares:
/// <c>Σ (actual − expected) · ln(actual / expected)</c> over the bins, shares floored at <see cref="Floor"/> so an empty
/// bin does not make it infinite. Rules of thumb: below 0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a major one.
/// </summary>
public static class Psi
{
    /// <summary>The smallest share a bin counts with (one row in ten thousand).</summary>
    public const double Floor = 1e-4;

    /// <returns>the index; 0 when nothing was observed.</returns>
    /// <exception cref="ArgumentException">the counts and the shares are not the same bins.</exception>
    public static double Of(IReadOnlyList<double> expected, ReadOnlySpan<long> counts)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (expected.Count != counts.Length)
        {
            throw new ArgumentException($"{counts.Length} bin counts for {expected.Count} reference bins");
        }
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }
        if (total == 0)
        {
            return 0;
        }
        var psi = 0d;
        for (var i = 0; i < counts.Length; i++)
        {
            var actual = Math.Max((double)counts[i] / total, Floor);
            var reference = Math.Max(expected[i], Floor);
            psi += (actual - reference) * Math.Log(actual / reference);
        }
        return psi;
    }
}
