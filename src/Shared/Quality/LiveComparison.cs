using Npgsql;

namespace Fraud.Streaming.Shared.Quality;

/// <summary>
/// The champion and its challenger on the same live transactions: those both scored (the challenger in shadow) whose
/// maturity window has passed as of the history's clock, so every outcome is known. What <c>models promote
/// --require-live-margin</c> decides on, and what Monitoring's report shows.
/// </summary>
public sealed record LiveComparison(
    string Champion,
    string Challenger,
    DateTimeOffset AsOf,
    long Transactions,
    long Frauds,
    double ChampionRocAuc,
    double ChallengerRocAuc,
    double ChampionPrAuc,
    double ChallengerPrAuc)
{
    public const string RocAucMetric = "roc_auc";
    public const string PrAucMetric = "pr_auc";

    public double ChampionMetric(string metric) => metric == RocAucMetric ? ChampionRocAuc : ChampionPrAuc;

    public double ChallengerMetric(string metric) => metric == RocAucMetric ? ChallengerRocAuc : ChallengerPrAuc;

    /// <returns>the comparison; null when no matured transaction was scored by both, or its outcomes are all of one class.</returns>
    public static async Task<LiveComparison?> MeasureAsync(NpgsqlDataSource dataSource, string champion, string challenger, int maturityDays,
        CancellationToken cancellationToken)
    {
        if (await HistoryClock.AsOfAsync(dataSource, cancellationToken) is not { } asOf)
        {
            return null;
        }
        var maturity = TimeSpan.FromDays(maturityDays);
        await using var command = dataSource.CreateCommand("""
            SELECT v.score, s.score, t.event_time, l.is_fraud, l.labelled_at, l.first_fraud_at
              FROM shadow_verdicts s
              JOIN verdicts v ON v.transaction_id = s.transaction_id AND v.model_version = $1
              JOIN transactions t ON t.transaction_id = s.transaction_id
              LEFT JOIN labels l ON l.transaction_id = s.transaction_id
             WHERE s.model_version = $2 AND t.event_time <= $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = champion });
        command.Parameters.Add(new NpgsqlParameter { Value = challenger });
        command.Parameters.Add(new NpgsqlParameter { Value = (asOf - maturity).UtcDateTime });
        var championScores = new List<float>();
        var challengerScores = new List<float>();
        var outcomes = new List<bool>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var outcome = LabelOutcome.AsOf(asOf.UtcTicks, reader.GetDateTime(2).Ticks, maturity.Ticks,
                    reader.IsDBNull(4) ? long.MaxValue : reader.GetDateTime(4).Ticks, !reader.IsDBNull(3) && reader.GetBoolean(3),
                    reader.IsDBNull(5) ? long.MaxValue : reader.GetDateTime(5).Ticks);
                if (outcome is { } fraud)
                {
                    championScores.Add(reader.GetFloat(0));
                    challengerScores.Add(reader.GetFloat(1));
                    outcomes.Add(fraud);
                }
            }
        }
        var frauds = outcomes.LongCount(o => o);
        if (frauds == 0 || frauds == outcomes.Count)
        {
            return null;
        }
        var labels = outcomes.ToArray();
        var a = new BinaryEvaluator(championScores.ToArray(), labels);
        var b = new BinaryEvaluator(challengerScores.ToArray(), labels);
        return new LiveComparison(champion, challenger, asOf, outcomes.Count, frauds, a.RocAuc(), b.RocAuc(), a.AveragePrecision(), b.AveragePrecision());
    }
}
