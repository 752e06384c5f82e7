using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using Fraud.Streaming.Shared.Features.Vocabularies;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// The canonical channel names of the transaction contract and the aliases producers may send for them, read from the
/// contract's JSON Schema (<c>schemas/transaction.v1.schema.json</c>, embedded in this assembly): <c>x-channel-aliases</c>
/// maps each canonical name to its aliases, <c>x-card-not-present</c> lists the canonical names that are
/// card-not-present. The schema is the one place these names are written down; producers in any language read the same
/// file. Comparison is by <see cref="ValueKey"/> (trimmed, case-insensitive).
/// </summary>
public static class ChannelNames
{
    private const string SchemaResource = "Fraud.Streaming.Shared.schemas.transaction.v1.schema.json";

    private static readonly Table Names = Load();

    /// <summary>The canonical names, in the schema's order.</summary>
    public static IReadOnlyList<string> Canonical => Names.Canonical;

    /// <summary>The accepted aliases of each canonical name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Aliases => Names.Aliases;

    /// <summary>The canonical names that are card-not-present.</summary>
    public static IReadOnlyList<string> CardNotPresent => Names.CardNotPresent;

    /// <summary>
    /// The whole table as one line of text (<c>canonical=alias|alias;...; card-not-present: ...</c>): part of the
    /// feature spec's hashed text, so another table is another spec.
    /// </summary>
    public static string Definition => Names.Definition;

    /// <summary>The <see cref="ValueKey"/> of the channel's canonical name, or of the channel itself when it is no alias.</summary>
    public static ulong KeyOf(string? channel)
    {
        var key = ValueKey.Of(channel);
        return Names.CanonicalKeys.TryGetValue(key, out var canonical) ? canonical : key;
    }

    /// <summary>Whether the channel (any accepted name) is card-not-present.</summary>
    public static bool IsCardNotPresent(string? channel) => IsCardNotPresentKey(KeyOf(channel));

    /// <summary>Whether a canonical channel key (<see cref="KeyOf"/>) is card-not-present.</summary>
    public static bool IsCardNotPresentKey(ulong canonicalKey) => Names.CardNotPresentKeys.Contains(canonicalKey);

    /// <summary>The channel as vocabularies keep it: its canonical name, or the value itself (<see cref="ValueKey.Normalise"/>).</summary>
    public static string Canonicalise(string channel)
    {
        var key = KeyOf(channel);
        return Names.NameOfKey.TryGetValue(key, out var name) ? name : ValueKey.Normalise(channel);
    }

    private static Table Load()
    {
        using var stream = typeof(ChannelNames).Assembly.GetManifestResourceStream(SchemaResource)
            ?? throw new InvalidOperationException($"the transaction schema is not embedded ({SchemaResource})");
        using var schema = JsonDocument.Parse(stream);
        var channel = schema.RootElement.GetProperty("properties").GetProperty("channel");
        var canonical = new List<string>();
        var aliases = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var keys = new Dictionary<ulong, ulong>();
        var names = new Dictionary<ulong, string>();
        var definition = new StringBuilder();
        foreach (var entry in channel.GetProperty("x-channel-aliases").EnumerateObject())
        {
            var name = ValueKey.Normalise(entry.Name);
            var own = ValueKey.Of(name);
            canonical.Add(name);
            names[own] = name;
            Claim(keys, own, own, name);
            var list = new List<string>();
            foreach (var alias in entry.Value.EnumerateArray())
            {
                var text = ValueKey.Normalise(alias.GetString()!);
                list.Add(text);
                Claim(keys, ValueKey.Of(text), own, text);
            }
            aliases[name] = list;
            definition.Append(name).Append('=').AppendJoin('|', list).Append(';');
        }
        var notPresent = channel.GetProperty("x-card-not-present").EnumerateArray().Select(e => ValueKey.Normalise(e.GetString()!)).ToList();
        foreach (var name in notPresent.Where(n => !canonical.Contains(n)))
        {
            throw new InvalidOperationException($"x-card-not-present names '{name}', which is no canonical channel");
        }
        definition.Append(" card-not-present: ").AppendJoin(',', notPresent);
        return new Table(canonical, aliases, notPresent, definition.ToString(), keys.ToFrozenDictionary(),
            notPresent.Select(ValueKey.Of).ToFrozenSet(), names.ToFrozenDictionary());
    }

    private static void Claim(Dictionary<ulong, ulong> keys, ulong key, ulong canonical, string text)
    {
        if (!keys.TryAdd(key, canonical) && keys[key] != canonical)
        {
            throw new InvalidOperationException($"channel name '{text}' is an alias of two canonical channels");
        }
    }

    private sealed record Table(
        IReadOnlyList<string> Canonical,
        IReadOnlyDictionary<string, IReadOnlyList<string>> Aliases,
        IReadOnlyList<string> CardNotPresent,
        string Definition,
        FrozenDictionary<ulong, ulong> CanonicalKeys,
        FrozenSet<ulong> CardNotPresentKeys,
        FrozenDictionary<ulong, string> NameOfKey);
}
