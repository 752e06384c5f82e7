using System.Text.Json.Serialization;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>Source-generated System.Text.Json metadata for every v1 contract (snake_case, UTF-8, no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    // A JSON null where the contract says string (or object) is refused while parsing, not found later by whoever reads it.
    RespectNullableAnnotations = true,
    // Two values for one field would let two readers of the same message see different transactions.
    AllowDuplicateProperties = false,
    AllowTrailingCommas = false,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(Transaction))]
[JsonSerializable(typeof(Label))]
[JsonSerializable(typeof(Verdict))]
[JsonSerializable(typeof(ModelManifest))]
[JsonSerializable(typeof(DriftReport))]
[JsonSerializable(typeof(RetrainRequest))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
