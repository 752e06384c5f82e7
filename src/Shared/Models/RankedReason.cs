using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// A verdict's reason as <see cref="ReasonBuilder"/> ranks it, by value: the feature by its index in the model's spec,
/// so a batch's reasons fill a reused buffer instead of a <see cref="Reason"/> record each.
/// </summary>
/// <param name="Feature">the feature's index in the spec's names (<see cref="FeatureSpecInfo.Features"/> of the model's manifest).</param>
/// <param name="Value">the feature's value in the row.</param>
/// <param name="Contribution">its contribution, as <see cref="Reason.Contribution"/>.</param>
public readonly record struct RankedReason(int Feature, float Value, float Contribution)
{
    /// <summary>The reason, named by <paramref name="names"/>.</summary>
    public Reason ToReason(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return new Reason(names[Feature], Value, Contribution);
    }
}
