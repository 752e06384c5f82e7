using Fraud.Streaming.Shared.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace Fraud.Streaming.Monitoring.Signals;

/// <summary>Inserts challenger verdicts into <c>shadow_verdicts</c> in one statement; a replayed verdict changes nothing.</summary>
internal sealed class ShadowVerdictWriter(NpgsqlDataSource dataSource)
{
    /// <returns>rows inserted.</returns>
    public async Task<int> WriteAsync(IReadOnlyList<Verdict> verdicts, CancellationToken cancellationToken)
    {
        if (verdicts.Count == 0)
        {
            return 0;
        }
        await using var command = dataSource.CreateCommand("""
            INSERT INTO shadow_verdicts (transaction_id, model_version, card_id, event_time, score, decision, scored_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::real[], $6::text[], $7::timestamptz[])
            ON CONFLICT (transaction_id, model_version) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = verdicts.Select(v => v.TransactionId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = verdicts.Select(v => v.ModelVersion).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = verdicts.Select(v => v.CardId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = verdicts.Select(v => v.EventTime.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = verdicts.Select(v => v.Score).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = verdicts.Select(v => v.Decision.ToString().ToLowerInvariant()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = verdicts.Select(v => v.ScoredAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken);
        MonitoringMetrics.ShadowVerdictsWritten.Inc(inserted);
        return inserted;
    }
}
