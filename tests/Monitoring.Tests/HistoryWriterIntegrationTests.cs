using Fraud.Streaming.Testing;
using Dapper;
using Fraud.Streaming.Monitoring.History;
using Fraud.Streaming.Shared.Postgres;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Tests;

public sealed class HistoryWriterIntegrationTests
{
    [PostgresFact]
    public async Task Writing_the_same_batch_twice_stores_each_row_once()
    {
        var connectionString = TestEnvironment.PostgresConnectionString!;
        SchemaMigrator.Apply(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var writer = new HistoryWriter(dataSource);
        var prefix = $"it-{Guid.NewGuid():N}-";

        var batch = new HistoryBatch();
        for (var i = 0; i < 3; i++)
        {
            batch.Transactions.Add(Samples.Transaction(prefix + i, i == 0 ? new() { ["k"] = System.Text.Json.JsonSerializer.SerializeToElement(1) } : null));
            batch.Labels.Add(Samples.Label(prefix + i, fraud: false, Samples.T0.AddDays(45), "matured"));
        }
        batch.Verdicts.Add(Samples.Verdict(prefix + 0));
        batch.Verdicts.Add(Samples.Verdict(prefix + 1));
        batch.Transactions.Add(Samples.Transaction(prefix + 0)); // a duplicate inside one batch
        var rows = HistoryRows.From(batch);

        var first = writer.Write(rows);
        var second = writer.Write(rows);

        Assert.Equal(new WriteResult(3, 2, 3), first);
        Assert.Equal(default, second);
        await using var connection = await dataSource.OpenConnectionAsync();
        foreach (var (table, expected) in new[] { ("transactions", 3), ("verdicts", 2), ("labels", 3) })
        {
            var count = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE transaction_id LIKE @p", new { p = prefix + "%" });
            Assert.Equal(expected, count);
        }
        var attributes = await connection.ExecuteScalarAsync<string>("SELECT attributes::text FROM transactions WHERE transaction_id = @id", new { id = prefix + 0 });
        Assert.Equal("""{"k": 1}""", attributes);
    }

    [PostgresFact]
    public async Task A_newer_label_replaces_an_older_one_but_not_the_reverse()
    {
        var connectionString = TestEnvironment.PostgresConnectionString!;
        SchemaMigrator.Apply(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var writer = new HistoryWriter(dataSource);
        var id = $"it-{Guid.NewGuid():N}";

        Assert.Equal(1, writer.Write(LabelRows(Samples.Label(id, fraud: false, Samples.T0.AddDays(45), "matured"))).Labels);
        Assert.Equal(1, writer.Write(LabelRows(Samples.Label(id, fraud: true, Samples.T0.AddDays(50)))).Labels);
        Assert.Equal(0, writer.Write(LabelRows(Samples.Label(id, fraud: false, Samples.T0.AddDays(46), "review"))).Labels);

        await using var connection = await dataSource.OpenConnectionAsync();
        var (isFraud, source) = await connection.QuerySingleAsync<(bool, string)>("SELECT is_fraud, source FROM labels WHERE transaction_id = @id", new { id });
        Assert.True(isFraud);
        Assert.Equal("chargeback", source);
    }

    private static HistoryRows LabelRows(Fraud.Streaming.Shared.Contracts.Label label)
    {
        var batch = new HistoryBatch();
        batch.Labels.Add(label);
        return HistoryRows.From(batch);
    }
}
