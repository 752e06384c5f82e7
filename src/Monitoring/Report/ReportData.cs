using Dapper;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Quality;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Report;

/// <summary>Everything <c>monitoring report</c> shows, read from the tables Monitoring maintains and the registry.</summary>
internal sealed record ReportData(
    DateTimeOffset AsOf,
    DateOnly From,
    string ModelName,
    ModelVersionRow? Champion,
    ModelVersionRow? Challenger,
    LiveComparison? Live,
    IReadOnlyList<DailyQualityRow> Quality,
    IReadOnlyList<ScenarioTotalRow> Scenarios,
    IReadOnlyList<DailyDriftRow> Drift,
    IReadOnlyList<RetrainRequestRow> Requests)
{
    /// <returns>the data; null when the history is empty.</returns>
    public static async Task<ReportData?> ReadAsync(NpgsqlDataSource dataSource, string modelName, int days, int maturityDays, CancellationToken cancellationToken)
    {
        if (await HistoryClock.AsOfAsync(dataSource, cancellationToken) is not { } asOf)
        {
            return null;
        }
        var from = DateOnly.FromDateTime(asOf.UtcDateTime).AddDays(1 - days);
        var fromTime = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var registry = new ModelRegistry(dataSource);
        var champion = await registry.GetChampionAsync(modelName, cancellationToken);
        var challenger = await registry.GetChallengerAsync(modelName, cancellationToken);
        var live = champion is not null && challenger is not null
            ? await LiveComparison.MeasureAsync(dataSource, champion.Version, challenger.Version, maturityDays, cancellationToken)
            : null;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var quality = await connection.QueryAsync<DailyQualityRow>(new CommandDefinition("""
            SELECT source AS Source, model_version AS ModelVersion, day::timestamp AS Day, transactions AS Transactions,
                   known_fraud AS KnownFraud, known_genuine AS KnownGenuine, unknown AS Unknown, review_flagged AS ReviewFlagged,
                   decline_flagged AS DeclineFlagged, false_declines AS FalseDeclines, precision_review AS PrecisionReview,
                   recall_review AS RecallReview, precision_decline AS PrecisionDecline, recall_decline AS RecallDecline,
                   roc_auc AS RocAuc, pr_auc AS PrAuc, fraud_amount AS FraudAmount, caught_amount AS CaughtAmount, matured AS Matured
              FROM quality_daily WHERE day >= CAST(@fromTime AS date) ORDER BY source, model_version, day
            """, new { fromTime }, cancellationToken: cancellationToken));
        var scenarios = await connection.QueryAsync<ScenarioTotalRow>(new CommandDefinition("""
            SELECT source AS Source, model_version AS ModelVersion, scenario AS Scenario, sum(frauds)::bigint AS Frauds,
                   sum(review_caught)::bigint AS ReviewCaught, sum(decline_caught)::bigint AS DeclineCaught,
                   sum(fraud_amount) AS FraudAmount, sum(caught_amount) AS CaughtAmount
              FROM quality_scenario_daily WHERE day >= CAST(@fromTime AS date)
             GROUP BY source, model_version, scenario ORDER BY source, model_version, scenario
            """, new { fromTime }, cancellationToken: cancellationToken));
        var drift = await connection.QueryAsync<DailyDriftRow>(new CommandDefinition("""
            SELECT d.model_version AS ModelVersion, d.day::timestamp AS Day, max(d.transactions) AS Transactions,
                   coalesce(max(d.value) FILTER (WHERE d.signal = 'score_psi'), 0) AS ScorePsi,
                   coalesce((array_agg(d.name ORDER BY d.value DESC) FILTER (WHERE d.signal = 'feature_psi'))[1], '') AS WorstFeature,
                   coalesce(max(d.value) FILTER (WHERE d.signal = 'feature_psi'), 0) AS WorstFeaturePsi,
                   coalesce((array_agg(d.name ORDER BY d.value DESC) FILTER (WHERE d.signal = 'unseen_rate'))[1], '') AS WorstUnseenField,
                   coalesce(max(d.value) FILTER (WHERE d.signal = 'unseen_rate'), 0) AS WorstUnseenRate
              FROM drift_daily d WHERE d.day >= CAST(@fromTime AS date)
             GROUP BY d.model_version, d.day ORDER BY d.model_version, d.day
            """, new { fromTime }, cancellationToken: cancellationToken));
        var requests = await new RetrainRequestStore(dataSource).RecentAsync(modelName, 20, cancellationToken);
        return new ReportData(asOf, from, modelName, champion, challenger, live, quality.AsList(), scenarios.AsList(), drift.AsList(), requests);
    }
}
