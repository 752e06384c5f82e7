using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Testing;
using Xunit.Abstractions;

using static Fraud.Streaming.EndToEnd.Tests.EndToEndSteps;

namespace Fraud.Streaming.EndToEnd.Tests;

/// <summary>
/// The whole loop with every deployable as its own process against the dev stack: producer -> monitoring and
/// aggregator -> trainer v1 -> scorer -> more traffic -> trainer v2 -> hot swap. One test, because each step needs the last.
/// </summary>
public sealed class FullLoopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(120);

    [StackFact]
    public async Task Every_valid_transaction_gets_one_verdict_malformed_ones_reach_the_dlq_and_the_model_swaps_under_traffic()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topics = new KafkaTestTopics("e2e");
        var work = Directory.CreateTempSubdirectory("fraud-e2e-").FullName;
        var (kafka, env) = await StackEnvironmentAsync(bootstrap, topics, db.ConnectionString, work);

        var scorerUrl = $"http://127.0.0.1:{Ports.Free()}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await using var monitoring = await StartServiceAsync(http, "Monitoring", "/healthz", env, Step);
        await using var aggregator = await StartServiceAsync(http, "Aggregator", "/readyz", env, Step);

        // 1. History: valid and malformed transactions plus labels, all at once.
        const int firstBatch = 3000;
        const int malformedPerRun = 12;
        // Labels as issuers send them: fraud reports and a few reviews, silence for the rest.
        var first = await RunToEndAsync(output, Dll("Producer"), ["synthetic", "--count", $"{firstBatch}", "--cards", "300", "--fraud-rate", "0.05",
            "--seed", "1", "--rate", "0", "--label-delay-seconds", "0", "--malformed", $"{malformedPerRun}"], env, Step);
        var firstLabels = int.Parse(Regex.Match(first, @"labels=(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(firstLabels, firstBatch * 0.04, firstBatch * 0.2);
        await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "labels") == firstLabels && await CountAsync(db.ConnectionString, "transactions") == firstBatch,
            Step, monitoring, $"{firstBatch} transactions and {firstLabels} labels in Postgres");

        // 2. Model v1 from Postgres: stored, registered, announced.
        await RunToEndAsync(output, Dll("Trainer"), ["train", "--out", Path.Combine(work, "v1"), "--rounds", "30"], env, Step);
        var v1 = await ScalarAsync<string>(db.ConnectionString, "select version from model_versions order by created_at limit 1");

        // 3. The scorer picks v1 up from the models topic and scores the backlog.
        await using var scorer = ProcessRunner.StartDotnet(Dll("Scorer"), ["run", "--urls", scorerUrl], env);
        await WaitUntilAsync(async () => await IsOk(http, $"{scorerUrl}/readyz"), Step, scorer, "scorer ready");
        await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "verdicts") == firstBatch, Step, scorer, $"{firstBatch} verdicts");

        // 4. Traffic keeps flowing while v2 trains on the grown history, and until v2 has scored some of it:
        //    the run is open-ended and stopped by SIGTERM, so the swap happens under traffic whatever the timing.
        await using var traffic = ProcessRunner.StartDotnet(Dll("Producer"), ["synthetic", "--duration-seconds", "600", "--cards", "300",
            "--fraud-rate", "0.05", "--seed", "2", "--rate", "250", "--label-delay-seconds", "0", "--malformed", $"{malformedPerRun}"], env);
        await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "transactions") >= firstBatch + 2000, Step, traffic, "second-run history arriving");
        // This test is about the swap, not the champion policy (the registry tests cover that): v2 is promoted
        // whatever its holdout says, and the trainer must report it as champion.
        var trainedV2 = await RunToEndAsync(output, Dll("Trainer"), ["train", "--out", Path.Combine(work, "v2"), "--rounds", "30", "--promote-margin", "-1"], env, Step);
        Assert.Contains("champion=true", trainedV2, StringComparison.Ordinal);
        var v2 = await ScalarAsync<string>(db.ConnectionString, "select version from model_versions order by created_at desc limit 1");
        Assert.NotEqual(v1, v2);
        await WaitUntilAsync(async () => await ScalarAsync<long>(db.ConnectionString, $"select count(*) from verdicts where model_version = '{v2}'") > 0,
            Step, traffic, $"verdicts by {v2} while traffic flows");
        Assert.Equal(0, await traffic.StopAsync(TimeSpan.FromSeconds(60)));
        var summary = traffic.Lines.Last(l => l.Text.StartsWith("produced ", StringComparison.Ordinal)).Text;
        Assert.Contains($"malformed={malformedPerRun} errors=0", summary, StringComparison.Ordinal);
        var secondBatch = int.Parse(Regex.Match(summary, @"transactions=(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

        var valid = firstBatch + secondBatch;
        await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "verdicts") == valid, Step, scorer, $"{valid} verdicts");

        // Every valid transaction has exactly one verdict, on the topic and in Postgres.
        var verdicts = ReadAll(bootstrap, kafka.VerdictsTopic, valid);
        var perTransaction = verdicts.GroupBy(m => ContractJson.DeserializeVerdict(m.Message.Value).TransactionId).ToList();
        Assert.Equal(valid, perTransaction.Count);
        Assert.All(perTransaction, g => Assert.Single(g));
        // The merchant and device features read the aggregator's closed days: no verdict went without them.
        Assert.All(verdicts, m => Assert.NotNull(ContractJson.DeserializeVerdict(m.Message.Value).EntityDaysThrough));
        Assert.Equal(valid, await ScalarAsync<long>(db.ConnectionString, "select count(*) from verdicts v join transactions t using (transaction_id)"));

        // Every malformed message is in the DLQ, with its reason.
        var dlq = ReadAll(bootstrap, kafka.DlqTopic, 2 * malformedPerRun);
        Assert.Equal(2 * malformedPerRun, dlq.Count);
        Assert.All(dlq, m => Assert.False(string.IsNullOrEmpty(Header(m, DlqHeaders.Reason)), "DLQ message without a reason header"));
        Assert.Equal(2 * malformedPerRun, dlq.Select(m => Header(m, "malformed.id")).Distinct().Count());

        // The scorer switched to v2 without a restart, and later transactions were scored by it.
        var byVersion = await ScalarAsync<long>(db.ConnectionString, $"select count(*) from verdicts where model_version = '{v2}'");
        Assert.True(byVersion > 0, $"no verdict was scored by {v2}");
        Assert.True(await ScalarAsync<long>(db.ConnectionString, $"select count(*) from verdicts where model_version = '{v1}'") >= firstBatch);
        await scorer.WaitForLineAsync(line => line.Contains(v2, StringComparison.Ordinal) && line.Contains("swap", StringComparison.OrdinalIgnoreCase), Step);

        // Nobody crashed, and both services stop cleanly.
        Assert.False(scorer.HasExited, scorer.Output);
        Assert.False(monitoring.HasExited, monitoring.Output);
        Assert.False(aggregator.HasExited, aggregator.Output);
        Assert.Equal(0, await scorer.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await monitoring.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await aggregator.StopAsync(TimeSpan.FromSeconds(30)));
        output.WriteLine($"v1={v1} v2={v2} verdicts by v2={byVersion} producer: {first}");
        Directory.Delete(work, recursive: true);
    }

    private static List<ConsumeResult<byte[], byte[]>> ReadAll(string bootstrap, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"e2e-reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            AllowAutoCreateTopics = true,
        }).Build();
        consumer.Subscribe(topic);
        var all = new List<ConsumeResult<byte[], byte[]>>();
        var quietUntil = DateTime.UtcNow.AddSeconds(60);
        // Read until the expected count, then a little longer to catch any extra (duplicate) messages.
        while (DateTime.UtcNow < quietUntil)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result?.Message is not null)
            {
                all.Add(result);
            }
            if (all.Count >= expected && quietUntil - DateTime.UtcNow > TimeSpan.FromSeconds(3))
            {
                quietUntil = DateTime.UtcNow.AddSeconds(3);
            }
        }
        consumer.Close();
        return all;
    }

    private static string? Header(ConsumeResult<byte[], byte[]> message, string name) =>
        message.Message.Headers?.TryGetLastBytes(name, out var value) == true ? Encoding.UTF8.GetString(value) : null;
}
