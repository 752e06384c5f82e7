using System.Text;
using Dapper;
using Fraud.Streaming.Shared.Contracts;
using Npgsql;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// The model registry in Postgres (<c>model_versions</c>, migration 0001). Each operation is one transaction
/// holding a per-model advisory lock, so concurrent trainers or operators never leave two champions or a
/// half-registered version.
/// </summary>
/// <remarks>
/// Statuses: <c>champion</c> (at most one per model), <c>retired</c> (was champion, then displaced by a
/// promotion: a rollback target), <c>challenger</c> (at most one per model: registered, not promoted, scored in shadow
/// beside the champion until a new champion or challenger replaces it) and <c>registered</c> (never champion, or rolled
/// back from it). Each promotion records <c>promoted_at</c> (migration 0003); a rollback returns to the retired version
/// promoted most recently, which is the champion before the current one, whatever order versions were created or
/// promoted in. A new champion has no <c>announced_at</c> until <see cref="MarkAnnouncedAsync"/>: the next trainer run
/// announces one still without it.
/// </remarks>
public sealed class ModelRegistry(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        model_name AS ModelName, version AS Version, created_at AS CreatedAt, artifact_uri AS ArtifactUri,
        artifact_sha256 AS ArtifactSha256, content_hash AS ContentHash, feature_spec AS FeatureSpec,
        feature_hash AS FeatureHash, roc_auc AS RocAuc, pr_auc AS PrAuc, status AS Status, manifest::text AS Manifest,
        promoted_at AS PromotedAt, announced_at AS AnnouncedAt
        """;

    /// <summary>The version already registered for this model, data content and feature spec, if any.</summary>
    public async Task<ModelVersionRow?> FindByContentAsync(string modelName, string contentHash, string featureHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindByContentAsync(connection, null, modelName, contentHash, featureHash, cancellationToken);
    }

    /// <summary>
    /// Registers <paramref name="manifest"/> unless the same (model, content hash, feature hash) is registered
    /// already. The new version becomes champion when there is none, or when its ROC-AUC is at least the
    /// champion's plus <paramref name="promoteMargin"/>: on the same holdout when <paramref name="comparison"/>
    /// measured the champion there, else against the champion's stored figure. A tie goes to the new version,
    /// which was trained on more recent data.
    /// </summary>
    /// <param name="challenge">a version not promoted becomes the challenger (the one before it goes back to registered).</param>
    public async Task<RegistrationResult> RegisterAsync(ModelManifest manifest, double promoteMargin, CancellationToken cancellationToken,
        ChampionComparison? comparison = null, bool challenge = false)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, manifest.ModelName, cancellationToken);

        var existing = await FindByContentAsync(connection, transaction, manifest.ModelName, manifest.Training.ContentHash,
            manifest.FeatureSpec.Hash, cancellationToken);
        if (existing is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new RegistrationResult(false, existing.Version, existing.Status == ModelVersionRow.Champion, null);
        }

        var champion = await GetChampionAsync(connection, transaction, manifest.ModelName, cancellationToken);
        var championAuc = champion is null ? 0
            : comparison is not null && comparison.ChampionVersion == champion.Version ? comparison.ChampionRocAucOnHoldout
            : champion.RocAuc;
        var promote = champion is null || manifest.Metrics.RocAuc >= championAuc + promoteMargin;
        if (promote && champion is not null)
        {
            await SetStatusAsync(connection, transaction, manifest.ModelName, champion.Version, ModelVersionRow.Retired, cancellationToken);
        }
        // A new champion ends the comparison with an older challenger; a new challenger replaces it.
        var previousChallenger = promote || challenge ? await ClearChallengerAsync(connection, transaction, manifest.ModelName, cancellationToken) : null;
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO model_versions (model_name, version, created_at, artifact_uri, artifact_sha256, content_hash,
                                        feature_spec, feature_hash, roc_auc, pr_auc, status, manifest, promoted_at)
            VALUES (@ModelName, @Version, @CreatedAt, @ArtifactUri, @ArtifactSha256, @ContentHash,
                    @FeatureSpec, @FeatureHash, @RocAuc, @PrAuc, @Status, CAST(@Manifest AS jsonb),
                    CASE WHEN @Status = 'champion' THEN now() END)
            """,
            new ModelVersionRow
            {
                ModelName = manifest.ModelName,
                Version = manifest.Version,
                CreatedAt = manifest.CreatedAt,
                ArtifactUri = manifest.ArtifactUri,
                ArtifactSha256 = manifest.ArtifactSha256,
                ContentHash = manifest.Training.ContentHash,
                FeatureSpec = manifest.FeatureSpec.Name,
                FeatureHash = manifest.FeatureSpec.Hash,
                RocAuc = manifest.Metrics.RocAuc,
                PrAuc = manifest.Metrics.PrAuc,
                Status = promote ? ModelVersionRow.Champion : challenge ? ModelVersionRow.Challenger : ModelVersionRow.Registered,
                Manifest = Encoding.UTF8.GetString(ContractJson.Serialize(manifest)),
            },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new RegistrationResult(true, manifest.Version, promote, promote ? champion?.Version : null)
        {
            IsChallenger = !promote && challenge,
            PreviousChallenger = previousChallenger,
        };
    }

    /// <summary>The model's challenger, if any.</summary>
    public async Task<ModelVersionRow?> GetChallengerAsync(string modelName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ModelVersionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM model_versions WHERE model_name = @modelName AND status = 'challenger'",
            new { modelName }, cancellationToken: cancellationToken));
    }

    /// <summary>Makes a registered version the challenger (the current one goes back to registered), or, with null, ends the challenge.</summary>
    /// <returns>the new challenger's row; null when the challenge was ended.</returns>
    /// <exception cref="InvalidOperationException">no such version, or it is the champion.</exception>
    public async Task<ModelVersionRow?> ChallengeAsync(string modelName, string? version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, modelName, cancellationToken);
        ModelVersionRow? target = null;
        if (version is not null)
        {
            target = await connection.QuerySingleOrDefaultAsync<ModelVersionRow>(new CommandDefinition(
                $"SELECT {Columns} FROM model_versions WHERE model_name = @modelName AND version = @version",
                new { modelName, version }, transaction, cancellationToken: cancellationToken))
                ?? throw new InvalidOperationException($"model {modelName} has no version {version}");
            if (target.Status == ModelVersionRow.Champion)
            {
                throw new InvalidOperationException($"{version} is the champion of {modelName}; a challenger competes with it");
            }
        }
        await ClearChallengerAsync(connection, transaction, modelName, cancellationToken);
        if (target is not null)
        {
            await SetStatusAsync(connection, transaction, modelName, target.Version, ModelVersionRow.Challenger, cancellationToken);
            target.Status = ModelVersionRow.Challenger;
        }
        await transaction.CommitAsync(cancellationToken);
        return target;
    }

    private static Task<string?> ClearChallengerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string modelName,
        CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "UPDATE model_versions SET status = 'registered' WHERE model_name = @modelName AND status = 'challenger' RETURNING version",
            new { modelName }, transaction, cancellationToken: cancellationToken));

    /// <summary>Every version of the model, newest first.</summary>
    public async Task<IReadOnlyList<ModelVersionRow>> ListAsync(string modelName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ModelVersionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM model_versions WHERE model_name = @modelName ORDER BY version DESC",
            new { modelName }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<ModelVersionRow?> GetChampionAsync(string modelName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetChampionAsync(connection, null, modelName, cancellationToken);
    }

    /// <summary>Makes <paramref name="version"/> the champion; the current champion is retired (a rollback target).</summary>
    /// <returns>the new champion's row.</returns>
    /// <exception cref="InvalidOperationException">no such version.</exception>
    public async Task<ModelVersionRow> PromoteAsync(string modelName, string version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, modelName, cancellationToken);
        var target = await connection.QuerySingleOrDefaultAsync<ModelVersionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM model_versions WHERE model_name = @modelName AND version = @version",
            new { modelName, version }, transaction, cancellationToken: cancellationToken))
            ?? throw new InvalidOperationException($"model {modelName} has no version {version}");
        if (target.Status != ModelVersionRow.Champion)
        {
            // A new champion ends the comparison, whichever version was the challenger.
            await ClearChallengerAsync(connection, transaction, modelName, cancellationToken);
            var champion = await GetChampionAsync(connection, transaction, modelName, cancellationToken);
            if (champion is not null)
            {
                await SetStatusAsync(connection, transaction, modelName, champion.Version, ModelVersionRow.Retired, cancellationToken);
            }
            await SetStatusAsync(connection, transaction, modelName, version, ModelVersionRow.Champion, cancellationToken);
            target.Status = ModelVersionRow.Champion;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE model_versions SET promoted_at = now(), announced_at = NULL WHERE model_name = @modelName AND version = @version",
            new { modelName, version }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return target;
    }

    /// <summary>The version a rollback would return to (the retired version promoted most recently), or null.</summary>
    public async Task<ModelVersionRow?> GetPreviousChampionAsync(string modelName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetPreviousChampionAsync(connection, null, modelName, cancellationToken);
    }

    /// <summary>
    /// Returns to the previous champion (the retired version promoted most recently); the current one goes back to
    /// <c>registered</c>. The restored champion waits to be announced again.
    /// </summary>
    /// <param name="expected">the version the caller checked; refused if the previous champion is another by now.</param>
    /// <returns>the restored champion's row.</returns>
    /// <exception cref="InvalidOperationException">no champion, nothing to roll back to, or not <paramref name="expected"/>.</exception>
    public async Task<ModelVersionRow> RollbackAsync(string modelName, CancellationToken cancellationToken, string? expected = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, modelName, cancellationToken);
        var champion = await GetChampionAsync(connection, transaction, modelName, cancellationToken)
            ?? throw new InvalidOperationException($"model {modelName} has no champion to roll back");
        var previous = await GetPreviousChampionAsync(connection, transaction, modelName, cancellationToken)
            ?? throw new InvalidOperationException($"model {modelName}: champion {champion.Version} has no previous champion to roll back to");
        if (expected is not null && previous.Version != expected)
        {
            throw new InvalidOperationException($"model {modelName}: the previous champion changed to {previous.Version} meanwhile; nothing rolled back");
        }
        await SetStatusAsync(connection, transaction, modelName, champion.Version, ModelVersionRow.Registered, cancellationToken);
        await SetStatusAsync(connection, transaction, modelName, previous.Version, ModelVersionRow.Champion, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE model_versions SET announced_at = NULL WHERE model_name = @modelName AND version = @version",
            new { modelName, version = previous.Version }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        previous.Status = ModelVersionRow.Champion;
        previous.AnnouncedAt = null;
        return previous;
    }

    /// <summary>Records that <paramref name="version"/> was announced (now) as champion.</summary>
    public async Task MarkAnnouncedAsync(string modelName, string version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE model_versions SET announced_at = now() WHERE model_name = @modelName AND version = @version",
            new { modelName, version }, cancellationToken: cancellationToken));
    }

    private static Task<ModelVersionRow?> GetPreviousChampionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string modelName,
        CancellationToken cancellationToken) =>
        connection.QueryFirstOrDefaultAsync<ModelVersionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM model_versions WHERE model_name = @modelName AND status = 'retired' ORDER BY promoted_at DESC NULLS LAST, version DESC LIMIT 1",
            new { modelName }, transaction, cancellationToken: cancellationToken));

    private static Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string modelName, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtext('model_versions:' || @modelName))",
            new { modelName }, transaction, cancellationToken: cancellationToken));

    private static Task<ModelVersionRow?> FindByContentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string modelName,
        string contentHash, string featureHash, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<ModelVersionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM model_versions WHERE model_name = @modelName AND content_hash = @contentHash AND feature_hash = @featureHash",
            new { modelName, contentHash, featureHash }, transaction, cancellationToken: cancellationToken));

    private static Task<ModelVersionRow?> GetChampionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string modelName,
        CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<ModelVersionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM model_versions WHERE model_name = @modelName AND status = 'champion'",
            new { modelName }, transaction, cancellationToken: cancellationToken));

    private static Task SetStatusAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string modelName, string version,
        string status, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE model_versions SET status = @status WHERE model_name = @modelName AND version = @version",
            new { modelName, version, status }, transaction, cancellationToken: cancellationToken));
}
