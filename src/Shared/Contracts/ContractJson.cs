using System.Text.Json;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>Serialization entry points for the contracts; every deployable goes through these.</summary>
public static class ContractJson
{
    public static byte[] Serialize(Transaction value) => JsonSerializer.SerializeToUtf8Bytes(value, ContractsJsonContext.Default.Transaction);
    public static byte[] Serialize(Label value) => JsonSerializer.SerializeToUtf8Bytes(value, ContractsJsonContext.Default.Label);
    public static byte[] Serialize(Verdict value) => JsonSerializer.SerializeToUtf8Bytes(value, ContractsJsonContext.Default.Verdict);
    public static byte[] Serialize(ModelManifest value) => JsonSerializer.SerializeToUtf8Bytes(value, ContractsJsonContext.Default.ModelManifest);
    public static byte[] Serialize(DriftReport value) => JsonSerializer.SerializeToUtf8Bytes(value, ContractsJsonContext.Default.DriftReport);
    public static byte[] Serialize(RetrainRequest value) => JsonSerializer.SerializeToUtf8Bytes(value, ContractsJsonContext.Default.RetrainRequest);

    /// <summary>
    /// The JSON name of a contract record's member (<c>nameof(Verdict.TransactionId)</c> is <c>transaction_id</c>), as the
    /// contracts' serializer names it: for code that reads or writes a contract by hand, so the names stay the record's.
    /// </summary>
    public static string NameOf(string member) => ContractsJsonContext.Default.Options.PropertyNamingPolicy!.ConvertName(member);

    public static void Serialize(Utf8JsonWriter writer, Verdict value) => JsonSerializer.Serialize(writer, value, ContractsJsonContext.Default.Verdict);
    public static void Serialize(Utf8JsonWriter writer, Transaction value) => JsonSerializer.Serialize(writer, value, ContractsJsonContext.Default.Transaction);
    public static void Serialize(Utf8JsonWriter writer, Label value) => JsonSerializer.Serialize(writer, value, ContractsJsonContext.Default.Label);

    /// <exception cref="JsonException">the bytes are not a valid label.</exception>
    public static Label DeserializeLabel(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, ContractsJsonContext.Default.Label) ?? throw new JsonException("label is null");

    /// <exception cref="JsonException">the bytes are not a valid verdict.</exception>
    public static Verdict DeserializeVerdict(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, ContractsJsonContext.Default.Verdict) ?? throw new JsonException("verdict is null");

    /// <exception cref="JsonException">the bytes are not a valid manifest.</exception>
    public static ModelManifest DeserializeManifest(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, ContractsJsonContext.Default.ModelManifest) ?? throw new JsonException("manifest is null");

    /// <exception cref="JsonException">the bytes are not a valid drift report.</exception>
    public static DriftReport DeserializeDriftReport(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, ContractsJsonContext.Default.DriftReport) ?? throw new JsonException("drift report is null");

    /// <exception cref="JsonException">the bytes are not a valid retrain request.</exception>
    public static RetrainRequest DeserializeRetrainRequest(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, ContractsJsonContext.Default.RetrainRequest) ?? throw new JsonException("retrain request is null");
}
