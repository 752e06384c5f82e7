using System.Text;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Tests;

public sealed class ContractJsonTests
{
    public static TheoryData<string, string> Samples() => new()
    {
        { "transaction.v1.schema.json", Encoding.UTF8.GetString(ContractJson.Serialize(ContractSamples.Transaction())) },
        { "label.v1.schema.json", Encoding.UTF8.GetString(ContractJson.Serialize(ContractSamples.Label())) },
        { "verdict.v1.schema.json", Encoding.UTF8.GetString(ContractJson.Serialize(ContractSamples.Verdict())) },
        { "model-manifest.v1.schema.json", Encoding.UTF8.GetString(ContractJson.Serialize(ContractSamples.Manifest())) },
        { "model-manifest.v1.schema.json", Encoding.UTF8.GetString(ContractJson.Serialize(ContractSamples.Manifest(spec: FeatureSpec.CardV1.WithEncoding(ContractSamples.Encoding())))) },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Serialized_contracts_carry_exactly_the_properties_their_schema_names(string schemaFile, string json)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "schemas", schemaFile)));
        using var doc = JsonDocument.Parse(json);
        AssertMatches(schema.RootElement, doc.RootElement, "$");
    }

    private static void AssertMatches(JsonElement schema, JsonElement value, string path)
    {
        if (!schema.TryGetProperty("properties", out var properties) || value.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var present = value.EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var required in schema.GetProperty("required").EnumerateArray())
        {
            Assert.True(present.Contains(required.GetString()!), $"{path}: serialized contract lacks required '{required}'");
        }
        var allowOthers = schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.True;
        foreach (var property in value.EnumerateObject())
        {
            if (!properties.TryGetProperty(property.Name, out var sub))
            {
                Assert.True(allowOthers, $"{path}: '{property.Name}' is serialized but not in the schema");
                continue;
            }
            if (property.Name == "attributes" || property.Name == "parameters")
            {
                continue;
            }
            if (property.Value.ValueKind == JsonValueKind.Array && sub.TryGetProperty("items", out var items))
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    AssertMatches(items, item, $"{path}.{property.Name}[]");
                }
            }
            else
            {
                AssertMatches(sub, property.Value, $"{path}.{property.Name}");
            }
        }
    }

    [Fact]
    public void Transactions_round_trip_with_snake_case_names()
    {
        var original = ContractSamples.Transaction();
        var bytes = ContractJson.Serialize(original);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"transaction_id\":\"tx-1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"event_time\":\"2026-01-02T03:04:05+00:00\"", text, StringComparison.Ordinal);
        Assert.True(TransactionValidator.TryParse(bytes, out var parsed, out _));
        Assert.Equal(original with { Attributes = null }, parsed with { Attributes = null });
        Assert.Equal(1.5, parsed.Attributes!["V1"].GetDouble());
    }

    [Fact]
    public void Decisions_serialize_as_lower_case_words()
    {
        var text = Encoding.UTF8.GetString(ContractJson.Serialize(ContractSamples.Verdict()));
        Assert.Contains("\"decision\":\"review\"", text, StringComparison.Ordinal);
        Assert.Equal(Decision.Review, ContractJson.DeserializeVerdict(Encoding.UTF8.GetBytes(text)).Decision);
    }

    [Fact]
    public void Manifests_round_trip()
    {
        var manifest = ContractSamples.Manifest();
        var back = ContractJson.DeserializeManifest(ContractJson.Serialize(manifest));
        Assert.Equal(manifest.Version, back.Version);
        Assert.Equal(manifest.FeatureSpec.Features, back.FeatureSpec.Features);
        Assert.Equal(manifest.Metrics, back.Metrics);
        Assert.Equal(manifest.Thresholds, back.Thresholds);
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fraud.Streaming.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above the test binaries");
    }
}
