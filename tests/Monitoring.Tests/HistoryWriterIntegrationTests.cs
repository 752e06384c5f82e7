using Dapper;
using Fraud.Streaming.Monitoring.History;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Testing;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Tests;

public sealed class HistoryWriterIntegrationTests
{
    [PostgresFact]
    public async Task Writing_the_same_messages_twice_stores_each_row_once()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        SchemaMigrator.Apply(database.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var writer = new HistoryWriter(dataSource);
        var prefix = $"it-{Guid.NewGuid():N}-";

        var messages = new List<HistoryMessage>();
        for (var i = 0; i < 3; i++)
        {
            messages.Add(Samples.Message(Samples.Transaction(prefix + i, i == 0 ? new() { ["k"] = System.Text.Json.JsonSerializer.SerializeToElement(1) } : null), i));
            messages.Add(Samples.Message(Samples.Label(prefix + i, fraud: false, Samples.T0.AddDays(45), "matured"), i));
        }
        messages.Add(Samples.Message(Samples.Verdict(prefix + 0), 0));
        messages.Add(Samples.Message(Samples.Verdict(prefix + 1), 1));
        messages.Add(Samples.Message(Samples.Transaction(prefix + 0), 0)); // the same message read twice in one batch

        var first = writer.Write(HistoryRows.From(messages));
        var second = writer.Write(HistoryRows.From(messages));

        Assert.Equal((3, 2, 3, 0), (first.Transactions, first.Verdicts, first.Labels, first.DeadLetters.Count));
        Assert.Equal((0, 0, 0, 0), (second.Transactions, second.Verdicts, second.Labels, second.DeadLetters.Count));
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
    public async Task A_transaction_id_already_in_history_from_another_message_is_dead_lettered_once()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        SchemaMigrator.Apply(database.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var writer = new HistoryWriter(dataSource);

        writer.Write(HistoryRows.From([Samples.Message(Samples.Transaction("tx-dup"), 5)]));
        var duplicate = Samples.Message(Samples.Transaction("tx-dup") with { Amount = 9999 }, 9);
        var result = writer.Write(HistoryRows.From([duplicate]));
        var replay = writer.Write(HistoryRows.From([duplicate]));

        Assert.Equal(0, result.Transactions);
        Assert.Equal("duplicate_transaction_id", Assert.Single(result.DeadLetters).Reason);
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(12.34, await connection.ExecuteScalarAsync<double>("SELECT amount FROM transactions WHERE transaction_id = 'tx-dup'"));
        var dead = await connection.QuerySingleAsync<(string Reason, long Offset, int Size)>(
            "SELECT reason, source_offset, payload_size FROM dead_letters WHERE source_offset = 9");
        Assert.Equal(("duplicate_transaction_id", 9L, duplicate.Payload!.Length), dead);
        Assert.Single(replay.DeadLetters); // reported again, stored once
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM dead_letters"));
    }

    [PostgresFact]
    public async Task A_newer_label_replaces_an_older_one_but_not_the_reverse()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        SchemaMigrator.Apply(database.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
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

    private static HistoryRows LabelRows(Fraud.Streaming.Shared.Contracts.Label label) => HistoryRows.From([Samples.Message(label, 0)]);
}
