using System.Text.Json.Serialization;

namespace Fraud.Streaming.Shared.Features.Vocabularies;

/// <summary>Source-generated JSON for the vocabulary lists written into the spec's hashed text.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class EncodingJsonContext : JsonSerializerContext;
