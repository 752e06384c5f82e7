using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// Verdict reasons: the features that pushed the score up the most, by their TreeSHAP contribution to the model's
/// output in log-odds (<see cref="TreeShap"/>), largest first. One per scoring loop: it keeps the workspace of the
/// model it last explained, so explaining allocates only the reasons it returns.
/// </summary>
/// <param name="count">reasons per verdict.</param>
public sealed class ReasonBuilder(int count)
{
    private TreeShap? _explainer;
    private ShapWorkspace? _workspace;

    /// <summary>The largest contributions (signed, largest first; as many as the builder was made for) of the row under the model.</summary>
    public IReadOnlyList<Reason> Explain(LoadedModel model, ReadOnlySpan<float> features)
    {
        ArgumentNullException.ThrowIfNull(model);
        var explainer = model.Explainer;
        if (!ReferenceEquals(explainer, _explainer))
        {
            _explainer = explainer;
            _workspace = explainer.CreateWorkspace();
        }
        explainer.Explain(features, _workspace!);
        return Top(_workspace!.Contributions, features, model.Manifest.FeatureSpec.Features);
    }

    private Reason[] Top(ReadOnlySpan<double> contributions, ReadOnlySpan<float> features, IReadOnlyList<string> names)
    {
        var n = Math.Min(count, contributions.Length);
        Span<int> best = stackalloc int[n];
        var found = 0;
        for (var i = 0; i < contributions.Length; i++)
        {
            // Insertion into the short sorted list; ties keep the lower feature index first, so the order is stable.
            var at = found;
            while (at > 0 && contributions[i] > contributions[best[at - 1]])
            {
                at--;
            }
            if (at >= n)
            {
                continue;
            }
            for (var k = Math.Min(found, n - 1); k > at; k--)
            {
                best[k] = best[k - 1];
            }
            best[at] = i;
            found = Math.Min(found + 1, n);
        }
        var reasons = new Reason[found];
        for (var k = 0; k < found; k++)
        {
            var i = best[k];
            // Saturated: a model may hold any finite leaf values, and a float32 overflow to infinity cannot go in the verdict's JSON.
            reasons[k] = new Reason(names[i], features[i], (float)Math.Clamp(Math.Round(contributions[i], 4), -float.MaxValue, float.MaxValue));
        }
        return reasons;
    }
}
