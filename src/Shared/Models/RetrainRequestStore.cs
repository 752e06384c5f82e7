using Dapper;
using Npgsql;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// Retrain requests in Postgres (<c>retrain_requests</c>, migration 0023): Monitoring raises them, the trainer reads the
/// open ones and closes them with the version it produced. At most one is open per model (a unique index), so scorers
/// and Monitoring instances reporting the same drift at once raise one request.
/// </summary>
public sealed class RetrainRequestStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id AS Id, model_name AS ModelName, model_version AS ModelVersion, trigger AS Trigger, reason AS Reason,
        requested_at AS RequestedAt, closed_by_version AS ClosedByVersion, closed_at AS ClosedAt
        """;

    /// <summary>
    /// Raises a request unless one is open for the model, or one for the same serving version was raised within
    /// <paramref name="cooldown"/> (the retrained version was not promoted and the same drift persists: wait, do not
    /// retrain in a loop).
    /// </summary>
    /// <returns>the new request; null when none was raised.</returns>
    public async Task<RetrainRequestRow?> RaiseAsync(string modelName, string modelVersion, string trigger, string reason, TimeSpan cooldown,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<RetrainRequestRow>(new CommandDefinition($"""
            INSERT INTO retrain_requests (model_name, model_version, trigger, reason)
            SELECT @modelName, @modelVersion, @trigger, @reason
             WHERE NOT EXISTS (SELECT 1 FROM retrain_requests
                                WHERE model_name = @modelName
                                  AND (closed_at IS NULL OR (model_version = @modelVersion AND requested_at > now() - @cooldown)))
            ON CONFLICT DO NOTHING
            RETURNING {Columns}
            """, new { modelName, modelVersion, trigger, reason, cooldown }, cancellationToken: cancellationToken));
    }

    /// <summary>The model's open requests (at most one), oldest first.</summary>
    public async Task<IReadOnlyList<RetrainRequestRow>> OpenAsync(string modelName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RetrainRequestRow>(new CommandDefinition(
            $"SELECT {Columns} FROM retrain_requests WHERE model_name = @modelName AND closed_at IS NULL ORDER BY id",
            new { modelName }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Closes the requests (those still open) with the version that answers them.</summary>
    /// <returns>how many were closed.</returns>
    public async Task<int> CloseAsync(IReadOnlyCollection<long> ids, string version, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return 0;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE retrain_requests SET closed_by_version = @version, closed_at = now() WHERE id = ANY(@ids) AND closed_at IS NULL",
            new { ids = ids.ToArray(), version }, cancellationToken: cancellationToken));
    }

    /// <summary>The model's most recent requests, newest first.</summary>
    public async Task<IReadOnlyList<RetrainRequestRow>> RecentAsync(string modelName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RetrainRequestRow>(new CommandDefinition(
            $"SELECT {Columns} FROM retrain_requests WHERE model_name = @modelName ORDER BY id DESC LIMIT @limit",
            new { modelName, limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }
}
