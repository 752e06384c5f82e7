using Fraud.Streaming.Testing;
using Confluent.Kafka;
using Dapper;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Tests;

public sealed class MonitoringKafkaIntegrationTests
{
    private const int PerTopic = 40;

    [StackFact]
    public async Task Published_transactions_verdicts_and_labels_reach_postgres_and_bad_ones_are_skipped()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var pg = database.ConnectionString;
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var (txTopic, verdictTopic, labelTopic) = ($"it-{run}.transactions", $"it-{run}.verdicts", $"it-{run}.labels");
        var prefix = $"it-{run}-";

        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true }).Build())
        {
            for (var i = 0; i < PerTopic; i++)
            {
                var id = prefix + i;
                producer.Produce(txTopic, new() { Key = "card-000001", Value = ContractJson.Serialize(Samples.Transaction(id)) });
                producer.Produce(verdictTopic, new() { Key = "card-000001", Value = ContractJson.Serialize(Samples.Verdict(id) with { Reasons = [new Reason("amount_z", 3.5f, 0.4f)] }) });
                producer.Produce(labelTopic, new() { Key = "card-000001", Value = ContractJson.Serialize(Samples.Label(id, i % 10 == 0, Samples.T0.AddDays(30))) });
            }
            foreach (var topic in new[] { txTopic, verdictTopic, labelTopic })
            {
                producer.Produce(topic, new() { Key = "card-000001", Value = "not json"u8.ToArray() });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        SchemaMigrator.Apply(pg);
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrap,
            ["Kafka:TransactionsTopic"] = txTopic,
            ["Kafka:VerdictsTopic"] = verdictTopic,
            ["Kafka:LabelsTopic"] = labelTopic,
            ["Monitoring:GroupId"] = $"it-{run}",
            ["Monitoring:BatchSize"] = "25",
            ["Postgres:ConnectionString"] = pg,
        });
        builder.AddMonitoring();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapMonitoringEndpoints();
        await app.StartAsync();

        await using var dataSource = NpgsqlDataSource.Create(pg);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long[] counts = [];
        while (DateTime.UtcNow < deadline)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            counts =
            [
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM transactions WHERE transaction_id LIKE @p", new { p = prefix + "%" }),
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM verdicts WHERE transaction_id LIKE @p", new { p = prefix + "%" }),
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM labels WHERE transaction_id LIKE @p", new { p = prefix + "%" }),
            ];
            if (counts.All(c => c == PerTopic))
            {
                break;
            }
            await Task.Delay(250);
        }
        await app.StopAsync();

        Assert.Equal([PerTopic, PerTopic, PerTopic], counts);
        Assert.Equal(1, MonitoringMetrics.Rejected.WithLabels(txTopic, "bad_json").Value);
        Assert.Equal(1, MonitoringMetrics.Rejected.WithLabels(verdictTopic, "bad_json").Value);
        Assert.Equal(1, MonitoringMetrics.Rejected.WithLabels(labelTopic, "bad_json").Value);
    }
}
