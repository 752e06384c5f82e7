using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Fraud.Streaming.Testing.Operations;

/// <summary>YAML documents as JSON nodes (mappings to objects, sequences to arrays, every scalar a string), for assertions.</summary>
public static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    /// <summary>Every document of a (multi-document) YAML text; empty documents are left out.</summary>
    public static IReadOnlyList<JsonNode> LoadAll(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<JsonNode>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (ToJson(Deserializer.Deserialize<object?>(parser)) is { } node)
            {
                documents.Add(node);
            }
        }
        return documents;
    }

    public static JsonNode Load(string text) => LoadAll(text).Single();

    public static JsonNode LoadFile(string path) => Load(File.ReadAllText(path));

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(e => KeyValuePair.Create(Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture)!, ToJson(e.Value)))),
        IList<object?> list => new JsonArray([.. list.Select(ToJson)]),
        _ => JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
    };
}
