using System.Buffers;
using System.Text;
using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// Messages as column arrays, one array per table column, ready to bind as Postgres array parameters
/// (<c>unnest</c>), plus the dead letters among them. Timestamps are UTC <see cref="DateTime"/>s; JSON columns are
/// serialized text. A transaction id repeated within the messages keeps its first message: a repeat at the same
/// position is a replay and dropped, at another position a duplicate and dead-lettered.
/// </summary>
internal sealed class HistoryRows
{
    public required TransactionColumns Transactions { get; init; }
    public required VerdictColumns Verdicts { get; init; }
    public required LabelColumns Labels { get; init; }
    public required IReadOnlyList<DeadLetter> DeadLetters { get; init; }

    public static HistoryRows From(IReadOnlyList<HistoryMessage> messages)
    {
        var transactions = new List<(Transaction Row, SourcePosition Source, byte[]? Payload)>();
        var verdicts = new List<Verdict>();
        var labels = new List<Label>();
        var deadLetters = new List<DeadLetter>();
        var first = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (message.Refused is { } refused)
            {
                deadLetters.Add(refused);
            }
            else if (message.Transaction is { } t)
            {
                if (first.TryAdd(t.TransactionId, message.Source))
                {
                    transactions.Add((t, message.Source, message.Payload));
                }
                else if (first[t.TransactionId] != message.Source)
                {
                    deadLetters.Add(message.DeadLetter(RejectReason.NameOf(RejectCode.DuplicateTransactionId),
                        $"transaction_id {t.TransactionId} was already read at {first[t.TransactionId]}"));
                }
            }
            else if (message.Verdict is { } v)
            {
                verdicts.Add(v);
            }
            else if (message.Label is { } l)
            {
                labels.Add(l);
            }
        }
        return new HistoryRows
        {
            Transactions = TransactionColumns.From(transactions),
            Verdicts = VerdictColumns.From(verdicts),
            Labels = LabelColumns.From(labels),
            DeadLetters = deadLetters,
        };
    }

    internal static string DecisionName(Decision decision) => decision switch
    {
        Decision.Approve => "approve",
        Decision.Review => "review",
        Decision.Decline => "decline",
        _ => throw new ArgumentOutOfRangeException(nameof(decision)),
    };

    internal static string? AttributesJson(Dictionary<string, JsonElement>? attributes)
    {
        if (attributes is null)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in attributes)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static string ReasonsJson(IReadOnlyList<Reason> reasons)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var reason in reasons)
            {
                writer.WriteStartObject();
                writer.WriteString("feature", reason.Feature);
                WriteFloat(writer, "value", reason.Value);
                WriteFloat(writer, "contribution", reason.Contribution);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteFloat(Utf8JsonWriter writer, string name, float value)
    {
        // JSON has no NaN or infinity; jsonb would refuse the whole batch.
        if (float.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}

internal sealed record TransactionColumns(
    string[] TransactionId,
    string[] CardId,
    DateTime[] EventTime,
    string[] MerchantId,
    string[] MerchantCategory,
    double[] Amount,
    string[] Currency,
    string[] Country,
    string[] Channel,
    string?[] DeviceId,
    string?[] Ip,
    string?[] EmailDomain,
    string?[] Attributes,
    string[] SourceTopic,
    int[] SourcePartition,
    long[] SourceOffset)
{
    public int Count => TransactionId.Length;

    /// <summary>Each row's message as it came, for the dead letter of a duplicate; not a column.</summary>
    public byte[]?[]? Payload { get; private init; }

    public static TransactionColumns From(IReadOnlyList<(Transaction Row, SourcePosition Source, byte[]? Payload)> rows)
    {
        var n = rows.Count;
        var c = new TransactionColumns(new string[n], new string[n], new DateTime[n], new string[n], new string[n], new double[n],
            new string[n], new string[n], new string[n], new string?[n], new string?[n], new string?[n], new string?[n],
            new string[n], new int[n], new long[n]) { Payload = new byte[]?[n] };
        for (var i = 0; i < n; i++)
        {
            var (t, source, payload) = rows[i];
            c.Payload![i] = payload;
            c.SourceTopic[i] = source.Topic;
            c.SourcePartition[i] = source.Partition;
            c.SourceOffset[i] = source.Offset;
            c.TransactionId[i] = t.TransactionId;
            c.CardId[i] = t.CardId;
            c.EventTime[i] = t.EventTime.UtcDateTime;
            c.MerchantId[i] = t.MerchantId;
            c.MerchantCategory[i] = t.MerchantCategory;
            c.Amount[i] = t.Amount;
            c.Currency[i] = t.Currency;
            c.Country[i] = t.Country;
            c.Channel[i] = t.Channel;
            c.DeviceId[i] = t.DeviceId;
            c.Ip[i] = t.Ip;
            c.EmailDomain[i] = t.EmailDomain;
            c.Attributes[i] = HistoryRows.AttributesJson(t.Attributes);
        }
        return c;
    }
}

internal sealed record VerdictColumns(
    string[] TransactionId,
    string[] CardId,
    DateTime[] EventTime,
    float[] Score,
    string[] Decision,
    string[] ModelVersion,
    string?[] Reasons,
    DateTime[] ScoredAt,
    double[] LatencyMs)
{
    public int Count => TransactionId.Length;

    public static VerdictColumns From(IReadOnlyList<Verdict> rows)
    {
        var n = rows.Count;
        var c = new VerdictColumns(new string[n], new string[n], new DateTime[n], new float[n], new string[n], new string[n],
            new string?[n], new DateTime[n], new double[n]);
        for (var i = 0; i < n; i++)
        {
            var v = rows[i];
            c.TransactionId[i] = v.TransactionId;
            c.CardId[i] = v.CardId;
            c.EventTime[i] = v.EventTime.UtcDateTime;
            c.Score[i] = v.Score;
            c.Decision[i] = HistoryRows.DecisionName(v.Decision);
            c.ModelVersion[i] = v.ModelVersion;
            c.Reasons[i] = v.Reasons is null ? null : HistoryRows.ReasonsJson(v.Reasons);
            c.ScoredAt[i] = v.ScoredAt.UtcDateTime;
            c.LatencyMs[i] = v.LatencyMs;
        }
        return c;
    }
}

internal sealed record LabelColumns(
    string[] TransactionId,
    string[] CardId,
    bool[] IsFraud,
    DateTime[] LabelledAt,
    string[] Source,
    string?[] Scenario,
    DateTime?[] FirstFraudAt)
{
    public int Count => TransactionId.Length;

    /// <summary>
    /// One row per transaction: the label with the latest <c>labelled_at</c> wins (on a tie, the later message), and the
    /// earliest fraud report of the batch rides along. Postgres refuses an upsert that touches the same row twice in
    /// one statement, so duplicates must go here.
    /// </summary>
    public static LabelColumns From(IReadOnlyList<Label> rows)
    {
        var latest = new Dictionary<string, int>(rows.Count, StringComparer.Ordinal);
        var firstFraud = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var order = new List<string>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var id = rows[i].TransactionId;
            if (rows[i].IsFraud && (!firstFraud.TryGetValue(id, out var first) || rows[i].LabelledAt < first))
            {
                firstFraud[id] = rows[i].LabelledAt;
            }
            if (latest.TryGetValue(id, out var seen))
            {
                if (rows[i].LabelledAt >= rows[seen].LabelledAt)
                {
                    latest[id] = i;
                }
            }
            else
            {
                latest[id] = i;
                order.Add(id);
            }
        }

        var n = order.Count;
        var c = new LabelColumns(new string[n], new string[n], new bool[n], new DateTime[n], new string[n], new string?[n], new DateTime?[n]);
        for (var i = 0; i < n; i++)
        {
            var l = rows[latest[order[i]]];
            c.TransactionId[i] = l.TransactionId;
            c.CardId[i] = l.CardId;
            c.IsFraud[i] = l.IsFraud;
            c.LabelledAt[i] = l.LabelledAt.UtcDateTime;
            c.Source[i] = l.Source;
            c.Scenario[i] = l.Scenario;
            c.FirstFraudAt[i] = firstFraud.TryGetValue(l.TransactionId, out var first) ? first.UtcDateTime : null;
        }
        return c;
    }
}
