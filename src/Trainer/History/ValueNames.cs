using System.Collections.Concurrent;

namespace Fraud.Streaming.Trainer.History;

/// <summary>
/// The text behind each categorical value key a history source met, per encoding slot: a vocabulary is learned from
/// the keys and written down by these texts. A source notes a value once, on first sight (its readers reduce each
/// distinct text once anyway), so the table holds one entry per distinct value, not per row. Safe for a reader thread
/// that notes while another reads.
/// </summary>
internal sealed class ValueNames
{
    private readonly ConcurrentDictionary<(int Slot, ulong Key), string> _names = new();

    public int Count => _names.Count;

    public bool Knows(int slot, ulong key) => _names.ContainsKey((slot, key));

    /// <summary>Notes the (normalised) text of a key; the first text noted stays.</summary>
    public void Note(int slot, ulong key, string text) => _names.TryAdd((slot, key), text);

    /// <summary>The text of a key; null when no source noted it.</summary>
    public string? Of(int slot, ulong key) => _names.TryGetValue((slot, key), out var text) ? text : null;
}
