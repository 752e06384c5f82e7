using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The policy for values outside the serving model's vocabularies: every one is counted per field, and each distinct
/// value is reported once per model, the first time it is met (a newly seen merchant category is news; its ten
/// thousandth transaction is not). At most <see cref="MaxRemembered"/> distinct values are remembered per model, so a
/// field with endless new values (an id sent as a category) costs bounded memory; beyond that they are only counted.
/// </summary>
internal sealed class UnseenValues
{
    public const int MaxRemembered = 10_000;

    private readonly HashSet<(int Slot, ulong Key)> _reported = [];
    private LoadedModel? _model;

    /// <summary>Values counted since the start, per field name (<see cref="Shared.Features.Vocabularies.EncodingLayout.SlotName"/>).</summary>
    public SortedDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Counts the batch's unseen values (scored with <paramref name="model"/>) and calls <paramref name="first"/> with the
    /// field, the value's text and the row for each value met for the first time under that model.
    /// </summary>
    public void Record(BatchScorer batch, LoadedModel model, Action<string, string, int> first)
    {
        if (!ReferenceEquals(model, _model))
        {
            _model = model;
            _reported.Clear(); // another vocabulary: what was unseen may be known now, and the reverse
        }
        var layout = model.Spec.Encoding.Layout;
        foreach (var unseen in batch.Unseen)
        {
            var field = layout.SlotName(unseen.Slot);
            Counts[field] = Counts.GetValueOrDefault(field) + 1;
            ScorerMetrics.UnseenValues.WithLabels(field).Inc();
            if (_reported.Count < MaxRemembered && _reported.Add((unseen.Slot, unseen.Key)))
            {
                first(field, layout.TextOf(batch.TransactionAt(unseen.Row), unseen.Slot) ?? string.Empty, unseen.Row);
            }
        }
    }

    /// <summary>The counts as <c>field:n,field:n</c>; empty when none.</summary>
    public string Summary() => string.Join(',', Counts.Select(kv => FormattableString.Invariant($"{kv.Key}:{kv.Value}")));
}
