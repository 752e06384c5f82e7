using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Drift;
using Npgsql;
using NpgsqlTypes;

namespace Fraud.Streaming.Monitoring.Drift;

/// <summary>
/// Keeps the scorers' drift reports in Postgres: each source's cumulative counts per model version and event day
/// (<c>drift_counts</c>, replaced by every report, so a repeated report changes nothing), and the day's indexes over all
/// sources against the version's training reference (<c>drift_daily</c>): PSI per feature and of the score, and the
/// unseen rate per categorical field. One transaction per report.
/// </summary>
internal sealed class DriftStore(NpgsqlDataSource dataSource, ReferenceCache references, ILogger<DriftStore> logger)
{
    private const string ScoreName = "score";

    public async Task WriteAsync(DriftReport report, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var reference = await references.GetAsync(connection, report.ModelVersion, cancellationToken);
        if (reference is null && report.Days.Count > 0)
        {
            MonitoringLog.DriftReferenceMissing(logger, report.ModelVersion);
        }
        foreach (var day in report.Days)
        {
            await UpsertCountsAsync(connection, report, day, cancellationToken);
            if (reference is not null)
            {
                await WriteDailyAsync(connection, reference, day.Day, cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        MonitoringMetrics.DriftReports.Inc();
    }

    private static async Task UpsertCountsAsync(NpgsqlConnection connection, DriftReport report, DriftDay day, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO drift_counts (model_version, day, source, transactions, score_counts, feature_counts, unseen_counts, reported_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (model_version, day, source) DO UPDATE SET
                transactions = excluded.transactions, score_counts = excluded.score_counts, feature_counts = excluded.feature_counts,
                unseen_counts = excluded.unseen_counts, reported_at = excluded.reported_at
             WHERE drift_counts.reported_at <= excluded.reported_at
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = report.ModelVersion });
        command.Parameters.Add(new NpgsqlParameter { Value = day.Day });
        command.Parameters.Add(new NpgsqlParameter { Value = report.Source });
        command.Parameters.Add(new NpgsqlParameter { Value = day.Transactions });
        command.Parameters.Add(new NpgsqlParameter { Value = day.ScoreCounts.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(day.FeatureCounts), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(day.UnseenCounts), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = report.ReportedAt.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The day's indexes over every source's counts.</summary>
    private static async Task WriteDailyAsync(NpgsqlConnection connection, DriftReference reference, DateOnly day, CancellationToken cancellationToken)
    {
        long transactions = 0;
        var score = new long[reference.ScoreShares.Count];
        var features = reference.FeatureShares.Select(s => new long[s.Count]).ToArray();
        var unseen = new long[CategoricalValues.Fields.Count];
        await using (var read = new NpgsqlCommand(
            "SELECT transactions, score_counts, feature_counts::text, unseen_counts::text FROM drift_counts WHERE model_version = $1 AND day = $2", connection))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = reference.Version });
            read.Parameters.Add(new NpgsqlParameter { Value = day });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                transactions += reader.GetInt64(0);
                AddInto(score, reader.GetFieldValue<long[]>(1));
                var byFeature = JsonSerializer.Deserialize<Dictionary<string, long[]>>(reader.GetString(2)) ?? [];
                for (var f = 0; f < features.Length; f++)
                {
                    if (byFeature.TryGetValue(reference.Features[f], out var bins))
                    {
                        AddInto(features[f], bins);
                    }
                }
                var byField = JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(3)) ?? [];
                for (var c = 0; c < unseen.Length; c++)
                {
                    unseen[c] += byField.GetValueOrDefault(CategoricalValues.Fields[c]);
                }
            }
        }
        var rows = new List<(string Signal, string Name, double Value)> { ("score_psi", ScoreName, Psi.Of(reference.ScoreShares, score)) };
        rows.AddRange(reference.Features.Select((name, f) => ("feature_psi", name, Psi.Of(reference.FeatureShares[f], features[f]))));
        rows.AddRange(CategoricalValues.Fields.Select((field, c) => ("unseen_rate", field, transactions == 0 ? 0 : (double)unseen[c] / transactions)));
        await using var write = new NpgsqlCommand("""
            INSERT INTO drift_daily (model_version, day, signal, name, value, transactions, computed_at)
            SELECT $1, $2, s, n, v, $6, now() FROM unnest($3::text[], $4::text[], $5::float8[]) AS u(s, n, v)
            ON CONFLICT (model_version, day, signal, name) DO UPDATE SET
                value = excluded.value, transactions = excluded.transactions, computed_at = now()
            """, connection);
        write.Parameters.Add(new NpgsqlParameter { Value = reference.Version });
        write.Parameters.Add(new NpgsqlParameter { Value = day });
        write.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Signal).ToArray() });
        write.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Name).ToArray() });
        write.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Value).ToArray() });
        write.Parameters.Add(new NpgsqlParameter { Value = transactions });
        await write.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddInto(long[] total, IReadOnlyList<long> counts)
    {
        // Counts in other bins than the reference's (a report from another build) are not comparable: skip them.
        if (counts.Count != total.Length)
        {
            return;
        }
        for (var i = 0; i < total.Length; i++)
        {
            total[i] += counts[i];
        }
    }
}
