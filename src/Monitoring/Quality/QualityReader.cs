using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Quality;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Quality;

/// <summary>
/// What live quality reads from the history: the history's clock, which days changed, and a day's (or window's)
/// verdicts joined to their transactions and labels. Day ranges go through the transactions' event-time index, and the
/// verdicts by primary key.
/// </summary>
internal sealed class QualityReader(NpgsqlDataSource dataSource)
{
    private const string Day = "(t.event_time AT TIME ZONE 'UTC')::date";

    /// <summary>The newest event time in the history: "now" for maturity, whatever the wall clock says (replays, compressed time).</summary>
    public Task<DateTimeOffset?> AsOfAsync(CancellationToken cancellationToken) => HistoryClock.AsOfAsync(dataSource, cancellationToken);

    /// <summary>The days whose verdicts, shadow verdicts or labels were written after <paramref name="since"/>.</summary>
    public Task<IReadOnlyList<QualityKey>> ChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) => KeysAsync("""
        SELECT 'live', model_version, (event_time AT TIME ZONE 'UTC')::date FROM verdicts WHERE ingested_at > $1
        UNION SELECT 'shadow', model_version, (event_time AT TIME ZONE 'UTC')::date FROM shadow_verdicts WHERE ingested_at > $1
        UNION SELECT 'live', v.model_version, (v.event_time AT TIME ZONE 'UTC')::date
                FROM labels l JOIN verdicts v USING (transaction_id) WHERE l.ingested_at > $1
        UNION SELECT 'shadow', s.model_version, (s.event_time AT TIME ZONE 'UTC')::date
                FROM labels l JOIN shadow_verdicts s USING (transaction_id) WHERE l.ingested_at > $1
        """, cancellationToken, since.UtcDateTime);

    /// <summary>Every (source, model version, day) with verdicts for transactions in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public Task<IReadOnlyList<QualityKey>> PresentAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken) => KeysAsync($"""
        SELECT 'live', v.model_version, {Day} FROM transactions t JOIN verdicts v USING (transaction_id)
         WHERE t.event_time >= $1 AND t.event_time < $2
        UNION SELECT 'shadow', s.model_version, {Day} FROM transactions t JOIN shadow_verdicts s USING (transaction_id)
         WHERE t.event_time >= $1 AND t.event_time < $2
        """, cancellationToken, Start(from), Start(to));

    /// <summary>The version of the newest live verdict: the model serving now.</summary>
    public async Task<string?> ServingVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT v.model_version FROM transactions t JOIN verdicts v USING (transaction_id) ORDER BY t.event_time DESC LIMIT 1");
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// A model's verdicts for transactions in [<paramref name="from"/>, <paramref name="to"/>) with their outcome as of
    /// <paramref name="asOf"/> (<see cref="LabelOutcome"/>, the trainer's rule).
    /// </summary>
    public async Task<List<QualityRow>> RowsAsync(string source, string version, DateOnly from, DateOnly to, DateTimeOffset asOf,
        TimeSpan maturity, CancellationToken cancellationToken)
    {
        var verdicts = source == QualityKey.Shadow
            ? "JOIN shadow_verdicts v ON v.transaction_id = t.transaction_id AND v.model_version = $3"
            : "JOIN verdicts v ON v.transaction_id = t.transaction_id AND v.model_version = $3";
        await using var command = dataSource.CreateCommand($"""
            SELECT v.score, v.decision, t.amount, t.event_time, l.is_fraud, l.labelled_at, l.first_fraud_at, l.scenario
              FROM transactions t
              {verdicts}
              LEFT JOIN labels l ON l.transaction_id = t.transaction_id
             WHERE t.event_time >= $1 AND t.event_time < $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Start(from) });
        command.Parameters.Add(new NpgsqlParameter { Value = Start(to) });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        var rows = new List<QualityRow>();
        var asOfTicks = asOf.UtcTicks;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var labelled = !reader.IsDBNull(5) ? reader.GetDateTime(5).Ticks : long.MaxValue;
            var firstFraud = !reader.IsDBNull(6) ? reader.GetDateTime(6).Ticks : long.MaxValue;
            var fraud = LabelOutcome.AsOf(asOfTicks, reader.GetDateTime(3).Ticks, maturity.Ticks, labelled, !reader.IsDBNull(4) && reader.GetBoolean(4), firstFraud);
            rows.Add(new QualityRow(reader.GetFloat(0), ParseDecision(reader.GetString(1)), reader.GetDouble(2), fraud,
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return rows;
    }

    private static Decision ParseDecision(string decision) => decision switch
    {
        "decline" => Decision.Decline,
        "review" => Decision.Review,
        _ => Decision.Approve,
    };

    private static DateTime Start(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    private async Task<IReadOnlyList<QualityKey>> KeysAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        var keys = new List<QualityKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new QualityKey(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2)));
        }
        return keys;
    }
}
