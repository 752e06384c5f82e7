using Npgsql;
using NpgsqlTypes;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// Writes a batch to the history tables in one transaction and one round trip: one <c>INSERT ... SELECT FROM
/// unnest(arrays)</c> per table, keyed by <c>transaction_id</c>. Transactions and verdicts never change once
/// written (<c>DO NOTHING</c>); a newer label replaces an older one. Writing the same batch twice changes nothing.
/// </summary>
internal sealed class HistoryWriter(NpgsqlDataSource dataSource)
{
    private const string InsertTransactions = """
        INSERT INTO transactions (transaction_id, card_id, event_time, merchant_id, merchant_category, amount,
                                  currency, country, channel, device_id, ip, email_domain, attributes)
        SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::float8[],
                             $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[]::jsonb[])
        ON CONFLICT (transaction_id) DO NOTHING
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

    /// <returns>rows actually inserted or updated per table.</returns>
    /// <exception cref="NpgsqlException">the database refused or could not be reached; nothing was written.</exception>
    public WriteResult Write(HistoryRows rows)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using var batch = new NpgsqlBatch(connection, transaction);
        NpgsqlBatchCommand? transactions = null, verdicts = null, labels = null;

        if (rows.Transactions.Count > 0)
        {
            var t = rows.Transactions;
            transactions = Command(batch, InsertTransactions,
                Text(t.TransactionId), Text(t.CardId), Times(t.EventTime), Text(t.MerchantId), Text(t.MerchantCategory),
                Doubles(t.Amount), Text(t.Currency), Text(t.Country), Text(t.Channel), Text(t.DeviceId), Text(t.Ip),
                Text(t.EmailDomain), Text(t.Attributes));
        }
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
        if (batch.BatchCommands.Count == 0)
        {
            return default;
        }

        batch.ExecuteNonQuery();
        transaction.Commit();
        return new WriteResult(transactions?.RecordsAffected ?? 0, verdicts?.RecordsAffected ?? 0, labels?.RecordsAffected ?? 0);
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
}

/// <summary>Rows inserted or updated per table by one batch.</summary>
internal readonly record struct WriteResult(int Transactions, int Verdicts, int Labels)
{
    public int Total => Transactions + Verdicts + Labels;
}
