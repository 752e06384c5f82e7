using Npgsql;
using NpgsqlTypes;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// Writes rows to the history tables in one transaction: one <c>INSERT ... SELECT FROM unnest(arrays)</c> per table,
/// keyed by <c>transaction_id</c>. Transactions and verdicts never change once written (<c>DO NOTHING</c>); a newer
/// label replaces an older one; dead letters are kept once per message position. A transaction whose id is already in
/// history from another position is a duplicate and becomes a dead letter; from the same position (a replay) it is
/// nothing. Writing the same rows twice changes nothing.
/// </summary>
internal sealed class HistoryWriter(NpgsqlDataSource dataSource)
{
    // The outer query sees the table as it was before this statement, so a conflicting row found by the join is one
    // written earlier, whose position tells a replay from a duplicate.
    private const string InsertTransactions = """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::float8[],
                                 $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[]::jsonb[],
                                 $14::text[], $15::int[], $16::bigint[])
                AS i(transaction_id, card_id, event_time, merchant_id, merchant_category, amount, currency, country, channel,
                     device_id, ip, email_domain, attributes, source_topic, source_partition, source_offset)
        ), inserted AS (
            INSERT INTO transactions (transaction_id, card_id, event_time, merchant_id, merchant_category, amount,
                                      currency, country, channel, device_id, ip, email_domain, attributes,
                                      source_topic, source_partition, source_offset)
            SELECT * FROM input
            ON CONFLICT (transaction_id) DO NOTHING
            RETURNING transaction_id
        )
        SELECT i.transaction_id, x.transaction_id IS NOT NULL, t.source_topic, t.source_partition, t.source_offset
          FROM input i
          LEFT JOIN inserted x ON x.transaction_id = i.transaction_id
          LEFT JOIN transactions t ON t.transaction_id = i.transaction_id
        """;

    private const string InsertVerdicts = """
        INSERT INTO verdicts (transaction_id, card_id, event_time, score, decision, model_version, reasons, scored_at, latency_ms)
        SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::real[], $5::text[], $6::text[],
                             $7::text[]::jsonb[], $8::timestamptz[], $9::float8[])
        ON CONFLICT (transaction_id) DO NOTHING
        """;

    // A replayed or older label must not overwrite a newer one, and an identical one must not rewrite the row; the
    // earliest fraud report is kept whatever order reports arrive in (the entity features count it).
    private const string UpsertLabels = """
        INSERT INTO labels AS l (transaction_id, card_id, is_fraud, labelled_at, source, scenario, first_fraud_at)
        SELECT id, card, fraud, at, src, scen, first_fraud
          FROM unnest($1::text[], $2::text[], $3::boolean[], $4::timestamptz[], $5::text[], $6::text[], $7::timestamptz[])
               AS u(id, card, fraud, at, src, scen, first_fraud)
        ON CONFLICT (transaction_id) DO UPDATE
           SET card_id     = CASE WHEN excluded.labelled_at >= l.labelled_at THEN excluded.card_id ELSE l.card_id END,
               is_fraud    = CASE WHEN excluded.labelled_at >= l.labelled_at THEN excluded.is_fraud ELSE l.is_fraud END,
               labelled_at = GREATEST(l.labelled_at, excluded.labelled_at),
               source      = CASE WHEN excluded.labelled_at >= l.labelled_at THEN excluded.source ELSE l.source END,
               scenario    = CASE WHEN excluded.labelled_at >= l.labelled_at THEN excluded.scenario ELSE l.scenario END,
               first_fraud_at = LEAST(l.first_fraud_at, excluded.first_fraud_at),
               ingested_at = now()
         WHERE (excluded.labelled_at >= l.labelled_at
                AND (l.card_id, l.is_fraud, l.labelled_at, l.source, l.scenario)
                    IS DISTINCT FROM (excluded.card_id, excluded.is_fraud, excluded.labelled_at, excluded.source, excluded.scenario))
            OR excluded.first_fraud_at < l.first_fraud_at
            OR (l.first_fraud_at IS NULL AND excluded.first_fraud_at IS NOT NULL)
        """;

    private const string InsertDeadLetters = """
        INSERT INTO dead_letters (source_topic, source_partition, source_offset, reason, detail, payload, payload_size)
        SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::bytea[], $7::int[])
        ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING
        """;

    /// <returns>rows inserted or updated per table, and every dead letter of the rows (duplicates found here included).</returns>
    /// <exception cref="NpgsqlException">the database refused or could not be reached; nothing was written.</exception>
    public WriteResult Write(HistoryRows rows)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var deadLetters = new List<DeadLetter>(rows.DeadLetters);
        var transactions = rows.Transactions.Count > 0 ? InsertTransactionsFindingDuplicates(connection, transaction, rows.Transactions, deadLetters) : 0;

        using var batch = new NpgsqlBatch(connection, transaction);
        NpgsqlBatchCommand? verdicts = null, labels = null;
        if (rows.Verdicts.Count > 0)
        {
            var v = rows.Verdicts;
            verdicts = Command(batch, InsertVerdicts,
                Text(v.TransactionId), Text(v.CardId), Times(v.EventTime),
                new NpgsqlParameter<float[]> { TypedValue = v.Score, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Real },
                Text(v.Decision), Text(v.ModelVersion), Text(v.Reasons), Times(v.ScoredAt), Doubles(v.LatencyMs));
        }
        if (rows.Labels.Count > 0)
        {
            var l = rows.Labels;
            labels = Command(batch, UpsertLabels,
                Text(l.TransactionId), Text(l.CardId),
                new NpgsqlParameter<bool[]> { TypedValue = l.IsFraud, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean },
                Times(l.LabelledAt), Text(l.Source), Text(l.Scenario), NullableTimes(l.FirstFraudAt));
        }
        if (deadLetters.Count > 0)
        {
            Command(batch, InsertDeadLetters,
                Text([.. deadLetters.Select(d => d.Source.Topic)]),
                Ints([.. deadLetters.Select(d => d.Source.Partition)]),
                Longs([.. deadLetters.Select(d => d.Source.Offset)]),
                Text([.. deadLetters.Select(d => d.Reason)]),
                Text([.. deadLetters.Select(d => d.StorableDetail)]),
                new NpgsqlParameter<byte[]?[]> { TypedValue = [.. deadLetters.Select(d => d.StoredPayload)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
                Ints([.. deadLetters.Select(d => d.Payload?.Length ?? 0)]));
        }
        if (batch.BatchCommands.Count > 0)
        {
            batch.ExecuteNonQuery();
        }
        transaction.Commit();
        return new WriteResult(transactions, verdicts?.RecordsAffected ?? 0, labels?.RecordsAffected ?? 0, deadLetters);
    }

    /// <summary>Inserts the transactions; adds a dead letter for each whose id history holds from another position.</summary>
    private static int InsertTransactionsFindingDuplicates(NpgsqlConnection connection, NpgsqlTransaction transaction, TransactionColumns t, List<DeadLetter> deadLetters)
    {
        using var command = new NpgsqlCommand(InsertTransactions, connection, transaction);
        NpgsqlParameter[] parameters =
        [
            Text(t.TransactionId), Text(t.CardId), Times(t.EventTime), Text(t.MerchantId), Text(t.MerchantCategory),
            Doubles(t.Amount), Text(t.Currency), Text(t.Country), Text(t.Channel), Text(t.DeviceId), Text(t.Ip),
            Text(t.EmailDomain), Text(t.Attributes), Text(t.SourceTopic), Ints(t.SourcePartition), Longs(t.SourceOffset),
        ];
        command.Parameters.AddRange(parameters);
        var index = new Dictionary<string, int>(t.Count, StringComparer.Ordinal);
        for (var i = 0; i < t.Count; i++)
        {
            index[t.TransactionId[i]] = i;
        }
        var inserted = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (reader.GetBoolean(1))
            {
                inserted++;
                continue;
            }
            if (reader.IsDBNull(4))
            {
                continue; // written before positions were recorded: taken to be a replay
            }
            var i = index[reader.GetString(0)];
            var existing = new SourcePosition(reader.GetString(2), reader.GetInt32(3), reader.GetInt64(4));
            var incoming = new SourcePosition(t.SourceTopic[i], t.SourcePartition[i], t.SourceOffset[i]);
            if (existing != incoming)
            {
                deadLetters.Add(new DeadLetter(incoming, Shared.Contracts.RejectReason.NameOf(Shared.Contracts.RejectCode.DuplicateTransactionId),
                    $"transaction_id {t.TransactionId[i]} is already in history from {existing}", t.Payload?[i]));
            }
        }
        return inserted;
    }

    private static NpgsqlBatchCommand Command(NpgsqlBatch batch, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        batch.BatchCommands.Add(command);
        return command;
    }

    private static NpgsqlParameter<string?[]> Text(string?[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter<DateTime[]> Times(DateTime[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter<DateTime?[]> NullableTimes(DateTime?[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter<double[]> Doubles(double[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double };

    private static NpgsqlParameter<int[]> Ints(int[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };

    private static NpgsqlParameter<long[]> Longs(long[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };
}

/// <summary>Rows inserted or updated per table by one write, and the messages dead-lettered instead.</summary>
internal readonly record struct WriteResult(int Transactions, int Verdicts, int Labels, IReadOnlyList<DeadLetter> DeadLetters)
{
    public int Total => Transactions + Verdicts + Labels;

    public static WriteResult operator +(WriteResult a, WriteResult b) =>
        new(a.Transactions + b.Transactions, a.Verdicts + b.Verdicts, a.Labels + b.Labels, [.. a.DeadLetters ?? [], .. b.DeadLetters ?? []]);
}
