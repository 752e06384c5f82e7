using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Dapper;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Fraud.Streaming.Monitoring.Tests;

/// <summary>
/// The Monitoring process against messages that used to stop it or stall it, and against Postgres going away: one
/// bad message or row costs itself (a row in <c>dead_letters</c> with the reason), never its batch or the service.
/// </summary>
public sealed class MonitoringPoisonTests(ITestOutputHelper output)
{
    private const string Card = "card-000001";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly KafkaTestTopics _topics = new("monitoring-poison");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [StackFact]
    public async Task Poison_messages_and_rows_postgres_refuses_are_dead_lettered_and_everything_else_is_written()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        SchemaMigrator.Apply(database.ConnectionString);
        // A rule the contract cannot know of: the database refuses such rows for good (SQLSTATE 23514).
        await Execute(database.ConnectionString, "ALTER TABLE transactions ADD CONSTRAINT no_poison CHECK (merchant_id <> 'merch-poison')");
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        await EnsureTopicsAsync(bootstrap);

        var nullReason = JsonNode.Parse(ContractJson.Serialize(Samples.Verdict("p-verdict") with { Reasons = [new Reason("a", 1, 1)] }))!.AsObject();
        nullReason["reasons"] = new JsonArray(null, JsonValue.Create(1));
        var nulText = JsonNode.Parse(ContractJson.Serialize(Samples.Transaction("p-nul")))!.AsObject();
        nulText["merchant_id"] = "merch\u0000x";
        var poison = new (string Topic, byte[] Value, string Reason)[]
        {
            (_topics.Name("verdicts"), Encoding.UTF8.GetBytes(nullReason.ToJsonString()), "invalid_field"),
            (_topics.Name("transactions"), Encoding.UTF8.GetBytes(nulText.ToJsonString()), "invalid_field"),
            (_topics.Name("transactions"), ContractJson.Serialize(Samples.Transaction("p-refused") with { MerchantId = "merch-poison" }), "database_refused"),
            (_topics.Name("transactions"), ContractJson.Serialize(Samples.Transaction("good-0") with { Amount = 1 }), "duplicate_transaction_id"),
            (_topics.Name("labels"), ContractJson.Serialize(Samples.Label("good-1", true, new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero))), "invalid_event_time"),
        };

        var url = $"http://127.0.0.1:{Ports.Free()}";
        await using var monitoring = Start(url, database.ConnectionString, bootstrap);
        await WaitUntilAsync(monitoring, async () => await StatusAsync($"{url}/readyz") == HttpStatusCode.OK, "monitoring ready");
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true }).Build())
        {
            ProduceGood(producer, 0, 30);
            producer.Flush(Patience);
            foreach (var (topic, value, _) in poison)
            {
                producer.Produce(topic, new Message<string, byte[]> { Key = Card, Value = value });
            }
            ProduceGood(producer, 30, 60);
            Assert.Equal(0, producer.Flush(Patience));
        }

        await WaitUntilAsync(monitoring, async () =>
            await Count(database.ConnectionString, "transactions") == 60 && await Count(database.ConnectionString, "verdicts") == 60
            && await Count(database.ConnectionString, "labels") == 60 && await Count(database.ConnectionString, "dead_letters") == poison.Length,
            "60 rows per table and every poison dead-lettered");
        output.WriteLine(monitoring.Output);

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        var reasons = (await connection.QueryAsync<string>("SELECT reason FROM dead_letters")).Order().ToList();
        Assert.Equal(poison.Select(p => p.Reason).Order(), reasons);
        Assert.Equal(12.34, await connection.ExecuteScalarAsync<double>("SELECT amount FROM transactions WHERE transaction_id = 'good-0'"));
        Assert.Contains("23514", await connection.ExecuteScalarAsync<string>("SELECT detail FROM dead_letters WHERE reason = 'database_refused'"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync($"{url}/readyz"));
        Assert.Equal(0, await monitoring.StopAsync(TimeSpan.FromSeconds(30)));
    }

    [StackFact]
    public async Task While_postgres_is_unreachable_writes_are_retried_with_the_member_alive_and_not_ready_then_everything_lands()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var pg = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(pg.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = proxy.Port, Timeout = 3 }.ConnectionString;
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        await EnsureTopicsAsync(bootstrap);

        var url = $"http://127.0.0.1:{Ports.Free()}";
        await using var monitoring = Start(url, throughProxy, bootstrap);
        await WaitUntilAsync(monitoring, async () => await StatusAsync($"{url}/readyz") == HttpStatusCode.OK, "monitoring ready");
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true }).Build();
        ProduceGood(producer, 0, 20);
        producer.Flush(Patience);
        await WaitUntilAsync(monitoring, async () => await Count(database.ConnectionString, "transactions") == 20, "the first 20 written");

        proxy.Cut();
        ProduceGood(producer, 20, 40);
        producer.Flush(Patience);
        await WaitUntilAsync(monitoring, async () => await StatusAsync($"{url}/readyz") == HttpStatusCode.ServiceUnavailable
            && (await _http.GetStringAsync(new Uri($"{url}/metrics"))).Contains("fraud_monitoring_write_blocked 1", StringComparison.Ordinal), "not ready while writes fail");
        var problem = await (await _http.GetAsync(new Uri($"{url}/readyz"))).Content.ReadAsStringAsync();
        // Either check may answer first: the writer's own state between its retries, or the readiness probe's query.
        Assert.Matches("history writes are failing and being retried|database unreachable", problem);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync($"{url}/healthz"));
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(20, await Count(database.ConnectionString, "transactions"));

        proxy.Restore();
        await WaitUntilAsync(monitoring, async () => await Count(database.ConnectionString, "transactions") == 40
            && await StatusAsync($"{url}/readyz") == HttpStatusCode.OK, "all 40 written and ready again");
        output.WriteLine(monitoring.Output);
        // The member stayed in its group all along: no partition was revoked or lost.
        Assert.DoesNotContain(monitoring.Lines, l => l.Text.Contains("partitions revoked", StringComparison.Ordinal) || l.Text.Contains("partitions lost", StringComparison.Ordinal));
        Assert.Equal(0, await monitoring.StopAsync(TimeSpan.FromSeconds(30)));
    }

    private void ProduceGood(IProducer<string, byte[]> producer, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var id = $"good-{i}";
            producer.Produce(_topics.Name("transactions"), new Message<string, byte[]> { Key = Card, Value = ContractJson.Serialize(Samples.Transaction(id)) });
            producer.Produce(_topics.Name("verdicts"), new Message<string, byte[]> { Key = Card, Value = ContractJson.Serialize(Samples.Verdict(id) with { Reasons = [new Reason("amount_z", 3.5f, 0.4f)] }) });
            producer.Produce(_topics.Name("labels"), new Message<string, byte[]> { Key = Card, Value = ContractJson.Serialize(Samples.Label(id, i % 10 == 0, Samples.T0.AddDays(30))) });
        }
    }

    private ProcessRunner Start(string url, string connectionString, string bootstrap) => ProcessRunner.StartDotnet(
        RepoPaths.BuiltAssembly("src/Monitoring", "Fraud.Streaming.Monitoring"), ["--urls", url],
        new Dictionary<string, string?>
        {
            ["Kafka__BootstrapServers"] = bootstrap,
            ["Kafka__TransactionsTopic"] = _topics.Name("transactions"),
            ["Kafka__VerdictsTopic"] = _topics.Name("verdicts"),
            ["Kafka__LabelsTopic"] = _topics.Name("labels"),
            ["Postgres__ConnectionString"] = connectionString,
            ["Monitoring__GroupId"] = $"{_topics.Prefix}.monitoring",
            ["Monitoring__BatchSize"] = "50",
            ["DOTNET_gcServer"] = "0",
        });

    private async Task EnsureTopicsAsync(string bootstrap)
    {
        foreach (var role in new[] { "transactions", "verdicts", "labels" })
        {
            await KafkaTestTopics.EnsureCreatedAsync(bootstrap, _topics.Name(role));
        }
    }

    private async Task<HttpStatusCode?> StatusAsync(string url)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(url));
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<long> Count(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(sql);
    }

    private static Task WaitUntilAsync(ProcessRunner watched, Func<Task<bool>> condition, string what) => Waits.UntilAsync(condition, Patience, what, watched);

}
