using Dapper;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Quality;

/// <summary>Writes a day's live quality (<c>quality_daily</c>, <c>quality_scenario_daily</c>, migration 0022), replacing what was there.</summary>
internal sealed class QualityWriter(NpgsqlDataSource dataSource)
{
    public async Task WriteAsync(QualityKey key, QualitySummary q, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Dapper cannot bind DateOnly: midnight of the day as a timestamp, cast to date in SQL.
        var day = key.Day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO quality_daily (source, model_version, day, transactions, known_fraud, known_genuine, unknown,
                                       review_flagged, review_fraud, review_genuine, decline_flagged, decline_fraud, false_declines,
                                       precision_review, recall_review, precision_decline, recall_decline, roc_auc, pr_auc,
                                       fraud_amount, caught_amount, matured, as_of, computed_at)
            VALUES (@Source, @ModelVersion, CAST(@day AS date), @Transactions, @KnownFraud, @KnownGenuine, @Unknown,
                    @ReviewFlagged, @ReviewFraud, @ReviewGenuine, @DeclineFlagged, @DeclineFraud, @FalseDeclines,
                    @PrecisionReview, @RecallReview, @PrecisionDecline, @RecallDecline, @RocAuc, @PrAuc,
                    @FraudAmount, @CaughtAmount, @Matured, @asOf, now())
            ON CONFLICT (source, model_version, day) DO UPDATE SET
                transactions = excluded.transactions, known_fraud = excluded.known_fraud, known_genuine = excluded.known_genuine,
                unknown = excluded.unknown, review_flagged = excluded.review_flagged, review_fraud = excluded.review_fraud,
                review_genuine = excluded.review_genuine, decline_flagged = excluded.decline_flagged,
                decline_fraud = excluded.decline_fraud, false_declines = excluded.false_declines,
                precision_review = excluded.precision_review, recall_review = excluded.recall_review,
                precision_decline = excluded.precision_decline, recall_decline = excluded.recall_decline,
                roc_auc = excluded.roc_auc, pr_auc = excluded.pr_auc, fraud_amount = excluded.fraud_amount,
                caught_amount = excluded.caught_amount, matured = excluded.matured, as_of = excluded.as_of, computed_at = now()
            """,
            new
            {
                key.Source, key.ModelVersion, day, q.Transactions, q.KnownFraud, q.KnownGenuine, q.Unknown,
                q.ReviewFlagged, q.ReviewFraud, q.ReviewGenuine, q.DeclineFlagged, q.DeclineFraud, q.FalseDeclines,
                q.PrecisionReview, q.RecallReview, q.PrecisionDecline, q.RecallDecline, q.RocAuc, q.PrAuc,
                q.FraudAmount, q.CaughtAmount, q.Matured, asOf,
            },
            transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM quality_scenario_daily WHERE source = @Source AND model_version = @ModelVersion AND day = CAST(@day AS date)",
            new { key.Source, key.ModelVersion, day }, transaction, cancellationToken: cancellationToken));
        foreach (var s in q.Scenarios)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO quality_scenario_daily (source, model_version, day, scenario, frauds, review_caught, decline_caught, fraud_amount, caught_amount)
                VALUES (@Source, @ModelVersion, CAST(@day AS date), @Scenario, @Frauds, @ReviewCaught, @DeclineCaught, @FraudAmount, @CaughtAmount)
                """,
                new { key.Source, key.ModelVersion, day, s.Scenario, s.Frauds, s.ReviewCaught, s.DeclineCaught, s.FraudAmount, s.CaughtAmount },
                transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
