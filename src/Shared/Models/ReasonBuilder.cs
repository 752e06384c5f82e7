using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// Verdict reasons: the features that pushed the score up the most, by their TreeSHAP contribution to the model's
/// output in log-odds (<see cref="TreeShap"/>), largest first. One per scoring loop: it keeps the workspace and buffers
/// of the model it last explained, so explaining allocates only the reasons it returns, and nothing at all into
/// <see cref="RankedReason"/>s.
/// </summary>
/// <param name="count">reasons per verdict.</param>
public sealed class ReasonBuilder(int count)
{
    private TreeShap? _explainer;
    private ShapWorkspace? _workspace;
    private float[] _rows = [];
    private double[] _contributions = [];
    private RankedReason[] _ranked = [];
    private int[] _found = [];

    /// <summary>The largest contributions (signed, largest first; as many as the builder was made for) of the row under the model.</summary>
    public IReadOnlyList<Reason> Explain(LoadedModel model, ReadOnlySpan<float> features)
    {
        var workspace = WorkspaceFor(model);
        model.Explainer.Explain(features, workspace);
        return Top(workspace.Contributions, features, model.Manifest.FeatureSpec.Features);
    }

    /// <summary>
    /// The reasons of several rows of a batch at once (<see cref="TreeShap.Explain(ReadOnlySpan{float}, Span{double}, ShapWorkspace)"/>,
    /// cheaper per row than one at a time): <paramref name="reasons"/>[k] for row <paramref name="rows"/>[k] of
    /// <paramref name="features"/> (the batch's vectors, one after another).
    /// </summary>
    public void Explain(LoadedModel model, ReadOnlySpan<float> features, ReadOnlySpan<int> rows, Span<IReadOnlyList<Reason>> reasons)
    {
        ArgumentNullException.ThrowIfNull(model);
        var width = model.Explainer.FeatureCount;
        var size = rows.Length * width;
        if (_rows.Length < size)
        {
            _rows = new float[size];
        }
        for (var k = 0; k < rows.Length; k++)
        {
            features.Slice(rows[k] * width, width).CopyTo(_rows.AsSpan(k * width));
        }
        Explain(model, _rows.AsSpan(0, size), reasons[..rows.Length]);
    }

    /// <summary>
    /// As the overload above, for rows already gathered one after another in <paramref name="rows"/>:
    /// <paramref name="reasons"/>[k] for the k-th.
    /// </summary>
    public void Explain(LoadedModel model, ReadOnlySpan<float> rows, Span<IReadOnlyList<Reason>> reasons)
    {
        ArgumentNullException.ThrowIfNull(model);
        var rowCount = rows.Length / model.Explainer.FeatureCount;
        if (_found.Length < rowCount)
        {
            _found = new int[rowCount];
            _ranked = new RankedReason[rowCount * count];
        }
        Explain(model, rows, _ranked, _found);
        var names = model.Manifest.FeatureSpec.Features;
        for (var k = 0; k < rowCount; k++)
        {
            reasons[k] = ToReasons(_ranked.AsSpan(k * count, _found[k]), names);
        }
    }

    /// <summary>
    /// As the overload above, without objects: row k's reasons are <paramref name="ranked"/>[k * <see cref="Count"/>]
    /// onwards, <paramref name="found"/>[k] of them, with the features by their index in the model's spec.
    /// </summary>
    public void Explain(LoadedModel model, ReadOnlySpan<float> rows, Span<RankedReason> ranked, Span<int> found)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (rows.IsEmpty)
        {
            return;
        }
        var workspace = WorkspaceFor(model);
        var width = model.Explainer.FeatureCount;
        if (_contributions.Length < rows.Length)
        {
            _contributions = new double[rows.Length];
        }
        model.Explainer.Explain(rows, _contributions.AsSpan(0, rows.Length), workspace);
        for (var k = 0; k < rows.Length / width; k++)
        {
            found[k] = Top(_contributions.AsSpan(k * width, width), rows.Slice(k * width, width), ranked.Slice(k * count, count));
        }
    }

    /// <summary>Reasons per verdict.</summary>
    public int Count => count;

    private ShapWorkspace WorkspaceFor(LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var explainer = model.Explainer;
        if (!ReferenceEquals(explainer, _explainer))
        {
            _explainer = explainer;
            _workspace = explainer.CreateWorkspace();
        }
        return _workspace!;
    }

    private Reason[] Top(ReadOnlySpan<double> contributions, ReadOnlySpan<float> features, IReadOnlyList<string> names)
    {
        Span<RankedReason> ranked = stackalloc RankedReason[Math.Min(count, contributions.Length)];
        return ToReasons(ranked[..Top(contributions, features, ranked)], names);
    }

    /// <summary>The records of ranked reasons, named by <paramref name="names"/>.</summary>
    private static Reason[] ToReasons(ReadOnlySpan<RankedReason> ranked, IReadOnlyList<string> names)
    {
        var reasons = new Reason[ranked.Length];
        for (var k = 0; k < ranked.Length; k++)
        {
            reasons[k] = ranked[k].ToReason(names);
        }
        return reasons;
    }

    /// <summary>The largest contributions into <paramref name="into"/>, largest first; how many there are.</summary>
    private int Top(ReadOnlySpan<double> contributions, ReadOnlySpan<float> features, Span<RankedReason> into)
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
        for (var k = 0; k < found; k++)
        {
            var i = best[k];
            // Saturated: a model may hold any finite leaf values, and a float32 overflow to infinity cannot go in the verdict's JSON.
            into[k] = new RankedReason(i, features[i], (float)Math.Clamp(Math.Round(contributions[i], 4), -float.MaxValue, float.MaxValue));
        }
        return found;
    }
}
