using System.Buffers;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Writes a verdict's JSON straight from what scored it, without a <see cref="Verdict"/> record per transaction: the
/// bytes <see cref="ContractJson.Serialize(Verdict)"/> writes for the same verdict (a test holds them equal, field for
/// field and byte for byte), into one reused buffer, then into an array of exactly its length (the Kafka client takes a
/// payload only as a whole array). That array is kept, one per length, and reused by the next verdict of the same
/// length: valid until then. One instance per thread.
/// </summary>
/// <remarks>
/// Reusing the payload is safe because Confluent.Kafka has librdkafka copy it before <c>Produce</c> returns
/// (<c>RD_KAFKA_MSG_F_COPY</c>); the array the client keeps for the delivery report is never read (the scorer's
/// delivery handlers read only the outcome). A test overwrites each payload as soon as it is produced and reads every
/// one back intact, so a client that stopped copying fails it before it could send later verdicts' bytes.
/// </remarks>
/// <remarks>
/// Written by hand because the serializer needs the record: one object per transaction, made only to be written once.
/// The writer does the escaping and the number and date formats, as it does for the serializer.
/// </remarks>
internal sealed class VerdictJson
{
    private static readonly JsonEncodedText TransactionId = Name(nameof(Verdict.TransactionId));
    private static readonly JsonEncodedText CardId = Name(nameof(Verdict.CardId));
    private static readonly JsonEncodedText EventTime = Name(nameof(Verdict.EventTime));
    private static readonly JsonEncodedText Score = Name(nameof(Verdict.Score));
    private static readonly JsonEncodedText DecisionName = Name(nameof(Verdict.Decision));
    private static readonly JsonEncodedText ModelVersion = Name(nameof(Verdict.ModelVersion));
    private static readonly JsonEncodedText Reasons = Name(nameof(Verdict.Reasons));
    private static readonly JsonEncodedText Feature = Name(nameof(Reason.Feature));
    private static readonly JsonEncodedText Value = Name(nameof(Reason.Value));
    private static readonly JsonEncodedText Contribution = Name(nameof(Reason.Contribution));
    private static readonly JsonEncodedText ScoredAt = Name(nameof(Verdict.ScoredAt));
    private static readonly JsonEncodedText LatencyMs = Name(nameof(Verdict.LatencyMs));
    private static readonly JsonEncodedText EntityDaysThrough = Name(nameof(Verdict.EntityDaysThrough));

    /// <summary>The contract's names of the decisions, by <see cref="Decision"/>.</summary>
    private static readonly JsonEncodedText[] Decisions =
        Enum.GetValues<Decision>().Select(d => JsonEncodedText.Encode(JsonNamingOf(d))).ToArray();

    /// <summary>Longer verdicts (reasons with long feature names) get an array of their own each time.</summary>
    public const int MaxReusedLength = 4096;

    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly byte[]?[] _byLength = new byte[]?[MaxReusedLength + 1];
    private readonly Utf8JsonWriter _writer;

    public VerdictJson() => _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });

    /// <summary>The verdict's JSON as an array of exactly its bytes, valid until the next verdict of the same length.</summary>
    /// <param name="reasons">the reasons, their features named by <paramref name="featureNames"/> (the model's spec).</param>
    public byte[] Write(in TransactionFields transaction, float score, Decision decision, string modelVersion, ReadOnlySpan<RankedReason> reasons,
        IReadOnlyList<string> featureNames, DateTimeOffset scoredAt, double latencyMs, DateOnly? entityDaysThrough)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var w = _writer;
        w.WriteStartObject();
        transaction.TransactionId.Write(w, TransactionId);
        transaction.CardId.Write(w, CardId);
        w.WriteString(EventTime, transaction.EventTime);
        w.WriteNumber(Score, score);
        w.WriteString(DecisionName, Decisions[(int)decision]);
        w.WriteString(ModelVersion, modelVersion);
        w.WriteStartArray(Reasons);
        foreach (var reason in reasons)
        {
            w.WriteStartObject();
            w.WriteString(Feature, featureNames[reason.Feature]);
            w.WriteNumber(Value, reason.Value);
            w.WriteNumber(Contribution, reason.Contribution);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString(ScoredAt, scoredAt);
        w.WriteNumber(LatencyMs, latencyMs);
        if (entityDaysThrough is { } day)
        {
            Span<byte> text = stackalloc byte[10];
            day.TryFormat(text, out var length, "O", System.Globalization.CultureInfo.InvariantCulture);
            w.WriteString(EntityDaysThrough, text[..length]);
        }
        w.WriteEndObject();
        w.Flush();
        var written = _buffer.WrittenSpan;
        if (written.Length > MaxReusedLength)
        {
            return written.ToArray();
        }
        var payload = _byLength[written.Length] ??= new byte[written.Length];
        written.CopyTo(payload);
        return payload;
    }

    private static JsonEncodedText Name(string member) => JsonEncodedText.Encode(ContractJson.NameOf(member));

    /// <summary>The decision's name in the contract, as its serializer writes it (the enum's member names).</summary>
    private static string JsonNamingOf(Decision decision)
    {
        var json = JsonSerializer.Serialize(decision, ContractsJsonContext.Default.Verdict.Options.GetTypeInfo(typeof(Decision)));
        return json.Trim('"');
    }
}
