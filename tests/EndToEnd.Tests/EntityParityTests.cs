using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Testing;
using Xunit.Abstractions;

using static Fraud.Streaming.EndToEnd.Tests.EndToEndSteps;

namespace Fraud.Streaming.EndToEnd.Tests;

/// <summary>
/// The merchant and device features through the real streaming path: transactions and fraud reports on Kafka, the
/// aggregator publishing closed days, the scorer reading them; versus <c>trainer features</c> over the same files.
/// Every value of every vector, bit for bit, with the aggregator started only after the scorer (which waits for it),
/// and across a SIGKILL of both the scorer and the aggregator and their restarts.
/// </summary>
public sealed class EntityParityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(120);

    [StackFact]
    public async Task Streaming_entity_features_equal_the_offline_ones_with_a_lagging_aggregator_and_across_restarts()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topics = new KafkaTestTopics("entities");
        var work = Directory.CreateTempSubdirectory("fraud-entities-").FullName;
        string[] roles = ["transactions", "labels", "verdicts", "dlq", "models", "entities", "labels-dlq"];
        foreach (var role in roles)
        {
            await KafkaTestTopics.EnsureCreatedAsync(bootstrap, topics.Name(role));
        }
        var env = new Dictionary<string, string?>
        {
            ["Kafka__BootstrapServers"] = bootstrap,
            ["Kafka__TransactionsTopic"] = topics.Name("transactions"),
            ["Kafka__LabelsTopic"] = topics.Name("labels"),
            ["Kafka__VerdictsTopic"] = topics.Name("verdicts"),
            ["Kafka__DlqTopic"] = topics.Name("dlq"),
            ["Kafka__ModelsTopic"] = topics.Name("models"),
            ["Kafka__EntityTotalsTopic"] = topics.Name("entities"),
            ["Kafka__LabelsDlqTopic"] = topics.Name("labels-dlq"),
            ["Aggregator__GroupId"] = $"{topics.Prefix}.aggregator",
            ["Aggregator__IdleAfterSeconds"] = "2",
            ["Aggregator__SessionTimeoutMs"] = "6000",
            ["Scorer__GroupId"] = $"{topics.Prefix}.scorer",
            // Waits for the aggregator however long the test takes to start it: every vector must be exact.
            ["Scorer__EntityMaxWaitMs"] = "120000",
            ["Scorer__SessionTimeoutMs"] = "6000",
            ["State__Directory"] = Path.Combine(work, "state"),
            ["State__SnapshotIntervalSeconds"] = "1",
            ["DOTNET_gcServer"] = "0",
        };

        var (transactions, labels) = History(seed: 17);
        var txPath = Path.Combine(work, "tx.jsonl");
        var labelsPath = Path.Combine(work, "labels.jsonl");
        await File.WriteAllLinesAsync(txPath, transactions.Select(t => Encoding.UTF8.GetString(ContractJson.Serialize(t))));
        await File.WriteAllLinesAsync(labelsPath, labels.Select(l => Encoding.UTF8.GetString(ContractJson.Serialize(l))));
        var model = Path.Combine(work, "model");
        await RunToEndAsync(output, Dll("Trainer"), ["train", "--transactions", txPath, "--labels", labelsPath, "--out", model,
            "--rounds", "5", "--no-register", "--no-announce"], env, Step);
        env["Scorer__InitialModel"] = model;

        // The first half of the stream, transactions and reports merged in time order as they would arrive.
        var half = transactions.Count / 2;
        Publish(bootstrap, topics, transactions[..half], labels.Where(l => l.LabelledAt <= transactions[half - 1].EventTime));

        // The scorer starts first: with no closed days to read, it waits.
        env["Scorer__EmitFeatures"] = Path.Combine(work, "first.features.jsonl");
        await using var first = ProcessRunner.StartDotnet(Dll("Scorer"), ["run", "--urls", $"http://127.0.0.1:{Ports.Free()}"], env);
        await first.WaitForLineAsync(l => l.Contains("partitions assigned", StringComparison.Ordinal), Step);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.True(Lines(env["Scorer__EmitFeatures"]!) == 0, $"the scorer did not wait for the aggregator:\n{first.Output}");

        await using var aggregator = ProcessRunner.StartDotnet(Dll("Aggregator"), ["--urls", $"http://127.0.0.1:{Ports.Free()}"], env);
        await WaitUntilAsync(() => Task.FromResult(Ids(work).Count == half), Step, first, $"{half} vectors from the first scorer");

        // SIGKILL mid-stream, both of them; the rest of the stream, a label that is not one, a restarted aggregator that
        // rebuilds its partitions by replaying them, and a restarted scorer that restores its cards and goes on.
        first.KillTree();
        aggregator.KillTree();
        Publish(bootstrap, topics, transactions[half..], labels.Where(l => l.LabelledAt > transactions[half - 1].EventTime));
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            producer.Produce(topics.Name("labels"), new Message<string, byte[]> { Key = "card-1", Value = "{\"transaction_id\":\"e-1\""u8.ToArray() });
            producer.Flush(Step);
        }
        await using var restartedAggregator = ProcessRunner.StartDotnet(Dll("Aggregator"), ["--urls", $"http://127.0.0.1:{Ports.Free()}"], env);
        env["Scorer__EmitFeatures"] = Path.Combine(work, "second.features.jsonl");
        await using var second = ProcessRunner.StartDotnet(Dll("Scorer"), ["run", "--urls", $"http://127.0.0.1:{Ports.Free()}"], env);
        await WaitUntilAsync(() => Task.FromResult(Ids(work).Count == transactions.Count), Step, second, $"{transactions.Count} vectors");
        Assert.Equal(0, await second.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.False(restartedAggregator.HasExited, restartedAggregator.Output);
        Assert.Equal(0, await restartedAggregator.StopAsync(TimeSpan.FromSeconds(30)));

        // The label that was not one is dead-lettered with its reason, once.
        var dead = new List<ConsumeResult<byte[], byte[]>>();
        using (var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = $"{topics.Prefix}.dlq-reader", AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build())
        {
            consumer.Subscribe(topics.Name("labels-dlq"));
            var until = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < until)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message: not null } r)
                {
                    dead.Add(r);
                }
            }
        }
        var reason = Assert.Single(dead).Message.Headers.TryGetLastBytes(Shared.Kafka.DlqHeaders.Reason, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        Assert.Equal("bad_json", reason);

        // Offline, from the files: every vector either scorer wrote (replays included) is the offline one.
        var offlinePath = Path.Combine(work, "offline.jsonl");
        await RunToEndAsync(output, Dll("Trainer"), ["features", "--transactions", txPath, "--labels", labelsPath, "--out", offlinePath], env, Step);
        var offline = Read(offlinePath).ToDictionary(r => r.TransactionId, r => r.Features, StringComparer.Ordinal);
        var names = FeatureSpec.CardEntityV1.Names;
        var online = Read(Path.Combine(work, "first.features.jsonl")).Concat(Read(Path.Combine(work, "second.features.jsonl"))).ToList();
        foreach (var (id, features) in online)
        {
            var expected = offline[id];
            for (var f = 0; f < names.Count; f++)
            {
                if (BitConverter.SingleToInt32Bits(expected[f]) != BitConverter.SingleToInt32Bits(features[f]))
                {
                    Assert.Fail($"{id} {names[f]}: offline {expected[f]:R}, streaming {features[f]:R}");
                }
            }
        }
        // Not vacuous: the streamed vectors read reports and activity of both kinds of entity.
        var index = names.ToList();
        Assert.Contains(online, r => r.Features[index.IndexOf("merchant_fraud_reports_7d")] > 0);
        Assert.Contains(online, r => r.Features[index.IndexOf("device_fraud_reports_30d")] > 0);
        Assert.Contains(online, r => r.Features[index.IndexOf("device_tx_count_7d_log")] > 0);
        Assert.Contains(second.Lines, l => l.Text.Contains("restored", StringComparison.Ordinal));
        output.WriteLine($"{online.Count} streamed vectors for {transactions.Count} transactions, all equal to the offline ones");
        Directory.Delete(work, recursive: true);
    }

    private static void Publish(string bootstrap, KafkaTestTopics topics, IEnumerable<Transaction> transactions, IEnumerable<Label> labels)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 5 }).Build();
        var events = transactions.Select(t => (At: t.EventTime, Topic: topics.Name("transactions"), Key: t.CardId, Value: ContractJson.Serialize(t)))
            .Concat(labels.Select(l => (At: l.LabelledAt, Topic: topics.Name("labels"), Key: l.CardId, Value: ContractJson.Serialize(l))))
            .OrderBy(e => e.At);
        foreach (var e in events)
        {
            producer.Produce(e.Topic, new Message<string, byte[]> { Key = e.Key, Value = e.Value });
        }
        producer.Flush(Step);
    }

    /// <summary>Forty days, 150 cards, 12 merchants; a fifth of the transactions reported 1-10 days later.</summary>
    private static (List<Transaction> Transactions, List<Label> Labels) History(int seed)
    {
        var random = new Random(seed);
        var time = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var transactions = new List<Transaction>();
        var labels = new List<Label>();
        for (var i = 0; i < 2400; i++)
        {
            time = time.AddMilliseconds(random.Next(0, 2_880_000));
            var card = random.Next(150);
            var t = new Transaction
            {
                TransactionId = string.Create(CultureInfo.InvariantCulture, $"e-{i:D5}"),
                EventTime = time,
                CardId = string.Create(CultureInfo.InvariantCulture, $"card-{card}"),
                MerchantId = string.Create(CultureInfo.InvariantCulture, $"m-{random.Next(12)}"),
                MerchantCategory = "electronics",
                Amount = Math.Round(Math.Exp(random.NextDouble() * 7), 2),
                Currency = "USD",
                Country = "US",
                Channel = "online",
                DeviceId = random.Next(5) == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"dev-{card % 40}"),
            };
            transactions.Add(t);
            if (random.Next(5) == 0)
            {
                labels.Add(new Label
                {
                    TransactionId = t.TransactionId,
                    CardId = t.CardId,
                    IsFraud = true,
                    LabelledAt = t.EventTime.AddHours(24 + random.Next(9 * 24)),
                    Source = "chargeback",
                });
            }
        }
        return (transactions, labels);
    }

    private static int Lines(string path) => File.Exists(path) ? File.ReadLines(path).Count() : 0;

    private static HashSet<string> Ids(string work) =>
        [.. new[] { "first", "second" }.SelectMany(n => Read(Path.Combine(work, $"{n}.features.jsonl"))).Select(r => r.TransactionId)];

    /// <summary>A scorer's vectors; a line cut short by SIGKILL (only ever the last) is left out.</summary>
    private static List<(string TransactionId, float[] Features)> Read(string path)
    {
        var rows = new List<(string, float[])>();
        if (!File.Exists(path))
        {
            return rows;
        }
        foreach (var line in File.ReadLines(path))
        {
            try
            {
                rows.Add(FeatureVectorWriter.Parse(Encoding.UTF8.GetBytes(line)));
            }
            catch (System.Text.Json.JsonException)
            {
                // the torn last line of a killed process
            }
        }
        return rows;
    }
}
