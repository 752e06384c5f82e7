using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fraud.Streaming.Shared.Features.Vocabularies;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// Reads the attributes a feature spec passes through from a JSON file (<c>train --attributes FILE</c>):
/// <code>
/// { "attributes": [
///     { "names": ["C1..C14", "D1..D15"], "type": "numeric", "default": -1 },
///     { "names": ["M1..M9"], "type": "categorical" },
///     { "name": "card4", "type": "categorical", "default": "unknown" } ] }
/// </code>
/// An entry names one attribute (<c>name</c>) or several (<c>names</c>; <c>X1..X9</c> stands for X1, X2, ... X9). A
/// numeric attribute's <c>default</c> (a number, -1 when left out) replaces a missing or non-numeric value; a categorical
/// one's (a text, optional) replaces a missing value before encoding. Order in the file is the features' order.
/// </summary>
internal static partial class AttributeSpecFile
{
    /// <summary>Reads and checks the file.</summary>
    /// <exception cref="InvalidDataException">the file is not such a spec; the one-line message names the file and the entry.</exception>
    public static IReadOnlyList<AttributeDeclaration> Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>The IEEE-CIS declaration shipped with the trainer (<c>specs/ieee-cis-attributes.json</c>).</summary>
    public static IReadOnlyList<AttributeDeclaration> IeeeCis()
    {
        const string resource = "Fraud.Streaming.Trainer.ieee-cis-attributes.json";
        using var stream = typeof(AttributeSpecFile).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return Parse(bytes.ToArray(), "ieee-cis-attributes.json");
    }

    /// <summary>Reads and checks a declaration's bytes; <paramref name="path"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">the bytes are not such a spec.</exception>
    public static IReadOnlyList<AttributeDeclaration> Parse(byte[] json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not JSON ({ex.Message})", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("attributes", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path}: expected an object with an \"attributes\" array");
            }
            var declarations = new List<AttributeDeclaration>();
            var number = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                number++;
                declarations.AddRange(Entry(entry, $"{path}: attribute entry {number}"));
            }
            try
            {
                _ = new EncodingLayout(declarations);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"{path}: {ex.Message.Split(" (Parameter", 2)[0]}", ex);
            }
            return declarations;
        }
    }

    private static IEnumerable<AttributeDeclaration> Entry(JsonElement entry, string where)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: expected an object");
        }
        var names = new List<string>();
        if (entry.TryGetProperty("name", out var name))
        {
            names.Add(name.ValueKind == JsonValueKind.String ? name.GetString()! : throw new InvalidDataException($"{where}: \"name\" must be a text"));
        }
        if (entry.TryGetProperty("names", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String))
            {
                throw new InvalidDataException($"{where}: \"names\" must be an array of texts");
            }
            names.AddRange(list.EnumerateArray().SelectMany(n => Expand(n.GetString()!, where)));
        }
        if (names.Count == 0)
        {
            throw new InvalidDataException($"{where}: needs \"name\" or \"names\"");
        }
        var type = entry.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var hasDefault = entry.TryGetProperty("default", out var fallback) && fallback.ValueKind != JsonValueKind.Null;
        switch (type)
        {
            case "numeric":
                if (hasDefault && (fallback.ValueKind != JsonValueKind.Number || !float.IsFinite(fallback.GetSingle())))
                {
                    throw new InvalidDataException($"{where}: a numeric attribute's \"default\" must be a finite number");
                }
                var number = hasDefault ? fallback.GetSingle() : AttributeDeclaration.DefaultNumeric;
                return names.Select(n => new AttributeDeclaration(n, AttributeKind.Numeric, number));
            case "categorical":
                if (hasDefault && fallback.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"{where}: a categorical attribute's \"default\" must be a text");
                }
                var text = hasDefault ? fallback.GetString() : null;
                return names.Select(n => new AttributeDeclaration(n, AttributeKind.Categorical, CategoricalDefault: text));
            default:
                throw new InvalidDataException($"{where}: \"type\" must be \"numeric\" or \"categorical\"");
        }
    }

    /// <summary><c>C1..C14</c> → C1, C2, ... C14 (the prefix may be repeated after the dots: <c>C1..C14</c> or <c>C1..14</c>); anything else as it is.</summary>
    private static IEnumerable<string> Expand(string name, string where)
    {
        var match = RangePattern().Match(name);
        if (!match.Success)
        {
            return [name];
        }
        var prefix = match.Groups["prefix"].Value;
        if (match.Groups["again"].Success && match.Groups["again"].Value != prefix)
        {
            throw new InvalidDataException($"{where}: range '{name}' changes its prefix");
        }
        var from = int.Parse(match.Groups["from"].Value, CultureInfo.InvariantCulture);
        var to = int.Parse(match.Groups["to"].Value, CultureInfo.InvariantCulture);
        if (to < from || to - from > 10_000)
        {
            throw new InvalidDataException($"{where}: range '{name}' runs backwards or is too long");
        }
        return Enumerable.Range(from, to - from + 1).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}{i}"));
    }

    [GeneratedRegex(@"^(?<prefix>[^.]*?)(?<from>\d{1,6})\.\.(?<again>[^.\d]+)?(?<to>\d{1,6})$")]
    private static partial Regex RangePattern();
}
