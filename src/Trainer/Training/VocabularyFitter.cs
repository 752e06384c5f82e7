using Fraud.Streaming.Shared.Features.Vocabularies;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// Learns an encoding from the training rows only (the validation and holdout rows are encoded with it as the scorer
/// would encode new traffic): per categorical slot, the values seen at least <see cref="VocabularyOptions.MinCount"/>
/// times, the <see cref="VocabularyOptions.MaxSize"/> most frequent of them, most frequent first (ties: first seen
/// first). The rest share the unseen code. Counting reads keys only; the vocabulary is written down by the texts the
/// history source noted for them.
/// </summary>
internal static class VocabularyFitter
{
    /// <param name="layout">the slots to learn (the fields and some of the attributes the table keeps); all of them when null.</param>
    /// <exception cref="InvalidOperationException">the table keeps no encoding slots (or not those asked for), or a kept value's text was never noted.</exception>
    public static FeatureEncoding Fit(FeatureTable training, VocabularyOptions options, EncodingLayout? layout = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        var rows = training.Encoding ?? throw new InvalidOperationException("the training table keeps no encoding slots to learn vocabularies from");
        layout ??= rows.Layout;
        var map = rows.SlotsOf(layout);
        var vocabularies = new Vocabulary?[layout.SlotCount];
        for (var slot = 0; slot < layout.SlotCount; slot++)
        {
            if (layout.IsCategorical(slot))
            {
                vocabularies[slot] = Learn(rows, map[slot], training.RowCount, options);
            }
        }
        var fields = vocabularies.Take(EncodingLayout.FieldCount).Select(v => v!).ToList();
        var attributes = layout.Attributes.Select((a, i) => (a, vocabularies[EncodingLayout.FieldCount + i])).ToList();
        return new FeatureEncoding(fields, attributes);
    }

    private static Vocabulary Learn(EncodingRows rows, int slot, int rowCount, VocabularyOptions options)
    {
        var fallback = slot >= EncodingLayout.FieldCount && rows.Layout.Attributes[slot - EncodingLayout.FieldCount].CategoricalDefault is { } d ? d : null;
        var fallbackKey = fallback is null ? ValueKey.Missing : ValueKey.Of(fallback);
        var counts = new Dictionary<ulong, (int Count, int First)>();
        for (var row = 0; row < rowCount; row++)
        {
            var key = rows.Row(row)[slot];
            key = key == ValueKey.Missing ? fallbackKey : key;
            if (key == ValueKey.Missing)
            {
                continue;
            }
            ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out var exists);
            entry = exists ? (entry.Count + 1, entry.First) : (1, row);
        }
        var kept = counts.Where(kv => kv.Value.Count >= options.MinCount)
            .OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Value.First)
            .Take(options.MaxSize)
            .Select(kv => kv.Key == fallbackKey && fallback is not null ? ValueKey.Normalise(fallback)
                : rows.Names.Of(slot, kv.Key) ?? throw new InvalidOperationException($"no text was noted for a value of {rows.Layout.SlotName(slot)}"))
            .ToList();
        return new Vocabulary(kept);
    }
}
