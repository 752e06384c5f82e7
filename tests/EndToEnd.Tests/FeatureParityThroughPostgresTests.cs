using System.Globalization;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Testing;
using Xunit.Abstractions;

using static Fraud.Streaming.EndToEnd.Tests.EndToEndSteps;

namespace Fraud.Streaming.EndToEnd.Tests;

/// <summary>
/// Parity across the real path of history: transactions and labels published to Kafka (keyed by card), written to
/// Postgres by the monitoring service, read back by <c>trainer features</c> through its Postgres history source; versus
/// the scorer's own pipeline (<c>score-file --emit-features</c>) over the same files. Every value, bit for bit, the
/// merchant and device features (which count the fraud reports) included, and the model's encoded features: its
/// learned vocabularies (channels under aliases, categories, countries, currencies, e-mail domains) and declared
/// attributes, read from Postgres <c>jsonb</c> offline and from the parsed message online.
/// </summary>
public sealed class FeatureParityThroughPostgresTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(120);

    [StackFact]
    public async Task Offline_features_from_postgres_history_equal_the_scorer_features_bit_for_bit()
    {
        await using var db = await PostgresTestDatabase.CreateAsync();
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        var topics = new KafkaTestTopics("parity");
        var work = Directory.CreateTempSubdirectory("fraud-parity-").FullName;
        var transactionsTopic = topics.Name("transactions");
        var env = new Dictionary<string, string?>
        {
            ["Kafka__BootstrapServers"] = bootstrap,
            ["Kafka__TransactionsTopic"] = transactionsTopic,
            ["Kafka__VerdictsTopic"] = topics.Name("verdicts"),
            ["Kafka__LabelsTopic"] = topics.Name("labels"),
            ["Kafka__ModelsTopic"] = topics.Name("models"),
            ["Kafka__DlqTopic"] = topics.Name("dlq"),
            ["Postgres__ConnectionString"] = db.ConnectionString,
            ["Monitoring__GroupId"] = $"{topics.Prefix}.monitoring",
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var topic in new[] { transactionsTopic, topics.Name("verdicts"), topics.Name("labels"), topics.Name("models"), topics.Name("dlq") })
        {
            await KafkaTestTopics.EnsureCreatedAsync(bootstrap, topic);
        }

        // History with ties, bursts and gaps of days, over many cards, in event-time order.
        var transactions = History(seed: 3, cards: 200, count: 3000);
        var txPath = Path.Combine(work, "tx.jsonl");
        var labelsPath = Path.Combine(work, "labels.jsonl");
        await File.WriteAllLinesAsync(txPath, transactions.Select(t => System.Text.Encoding.UTF8.GetString(ContractJson.Serialize(t))));
        var random = new Random(1);
        // Fraud reports arrive 1-10 days later; a few transactions are reported twice (the earliest report counts).
        var labels = transactions.Where(t => t.Amount > 150 && random.Next(3) == 0)
            .SelectMany(t => Enumerable.Range(0, random.Next(8) == 0 ? 2 : 1).Select(_ => new Label
            {
                TransactionId = t.TransactionId,
                CardId = t.CardId,
                IsFraud = true,
                LabelledAt = t.EventTime.AddHours(24 + random.Next(9 * 24)),
                Source = "chargeback",
            }))
            .ToList();
        await File.WriteAllLinesAsync(labelsPath, labels.Select(l => System.Text.Encoding.UTF8.GetString(ContractJson.Serialize(l))));

        // 1. The stream reaches Postgres through the monitoring service.
        await using (var monitoring = ProcessRunner.StartDotnet(Dll("Monitoring"), ["--urls", "http://127.0.0.1:0"], env))
        {
            using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
            {
                foreach (var t in transactions)
                {
                    producer.Produce(transactionsTopic, new Message<string, byte[]> { Key = t.CardId, Value = ContractJson.Serialize(t) });
                }
                foreach (var l in labels)
                {
                    producer.Produce(topics.Name("labels"), new Message<string, byte[]> { Key = l.CardId, Value = ContractJson.Serialize(l) });
                }
                producer.Flush(Step);
            }
            var labelled = labels.Select(l => l.TransactionId).Distinct().Count();
            await WaitUntilAsync(async () => await CountAsync(db.ConnectionString, "transactions") == transactions.Count
                    && await CountAsync(db.ConnectionString, "labels") == labelled,
                Step, monitoring, $"{transactions.Count} transactions and {labelled} labels written by monitoring");
            Assert.Equal(0, await monitoring.StopAsync(TimeSpan.FromSeconds(30)));
        }

        // 2. A model package: both paths compute its spec.
        var modelDir = Path.Combine(work, "model");
        // A five-day history: silence counts as genuine after a day, so the package has training rows at all.
        var attributesPath = Path.Combine(work, "attributes.json");
        await File.WriteAllTextAsync(attributesPath, """
            { "attributes": [ { "names": ["V1..V2"], "type": "numeric", "default": -1 }, { "name": "M4", "type": "categorical", "default": "none" } ] }
            """);
        await RunToEndAsync(output, Dll("Trainer"), ["train", "--transactions", txPath, "--labels", labelsPath, "--out", modelDir,
            "--rounds", "5", "--label-maturity-days", "1", "--no-register", "--no-announce", "--attributes", attributesPath, "--vocabulary-min-count", "30"], env, Step);

        // 3. Offline: the trainer recomputes that model's features from the Postgres history.
        var offlinePath = Path.Combine(work, "offline.jsonl");
        await RunToEndAsync(output, Dll("Trainer"), ["features", "--out", offlinePath, "--model", modelDir], env, Step);

        // 4. Online: the scorer's pipeline over the same stream with the same package.
        var onlinePath = Path.Combine(work, "online.jsonl");
        await RunToEndAsync(output, Dll("Scorer"), ["score-file", "--model", modelDir, "--input", txPath, "--labels", labelsPath,
            "--output", Path.Combine(work, "verdicts.jsonl"), "--emit-features", onlinePath, "--batch-size", "100"], env, Step);

        var offline = Read(offlinePath);
        var online = Read(onlinePath);
        Assert.Equal(transactions.Count, offline.Count);
        Assert.Equal(transactions.Count, online.Count);
        var names = ContractJson.DeserializeManifest(File.ReadAllBytes(Path.Combine(modelDir, "manifest.json"))).FeatureSpec.Features;
        Assert.Equal(FeatureSpec.CardEntityV1.Count + 5 + 3, names.Count);
        var reports = names.ToList().IndexOf("merchant_fraud_reports_30d");
        Assert.Contains(online, r => r.Value[reports] > 0f); // the reports reached both paths
        // Every kind of encoded value occurs: known and unseen codes, missing e-mail domains, attribute numbers and defaults.
        var column = (string name) => online.Values.Select(v => v[names.ToList().IndexOf(name)]).Distinct().ToList();
        Assert.Contains(0f, column("merchant_category_code"));
        Assert.Contains(-1f, column("email_domain_code"));
        Assert.True(column("channel_code").Count(c => c > 0) >= 3);
        Assert.Contains(-1f, column("attr_V1"));
        Assert.Equal([-1f, 7f, 12.5f], column("attr_V1").Order());
        Assert.Equal([-1f, 1e-9f, 1f], column("attr_V2").Order());
        Assert.True(column("attr_M4_code").Count >= 3);
        foreach (var (id, features) in online)
        {
            var expected = offline[id];
            for (var f = 0; f < names.Count; f++)
            {
                if (BitConverter.SingleToInt32Bits(expected[f]) != BitConverter.SingleToInt32Bits(features[f]))
                {
                    Assert.Fail($"{id} {names[f]}: from postgres {expected[f]:R}, scorer {features[f]:R}");
                }
            }
        }
        Directory.Delete(work, recursive: true);
    }

    private static List<Transaction> History(int seed, int cards, int count)
    {
        var random = new Random(seed);
        var time = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        string[] channels = ["pos", "contactless", "online", "atm", "ECOMMERCE", "card_present", "kiosk"];
        string[] categories = ["grocery", "electronics", "jewelry", "5411", "misc", "Grocery"];
        string?[] emails = ["gmail.com", "yahoo.com", null, "Gmail.com", "tiny.example"];
        string[] attributes = ["""{"V1": 12.5, "M4": "M0"}""", """{"V1": "7", "V2": true, "M4": "M2"}""", """{"M4": null}""", """{"V1": "n/a", "M4": 1}""", "{}", """{"V2": 1e-9, "M4": "é"}"""];
        var list = new List<Transaction>(count);
        for (var i = 0; i < count; i++)
        {
            time = time.AddMilliseconds(random.Next(4) == 0 ? 0 : random.Next(1, 400_000));
            var card = random.Next(cards);
            list.Add(new Transaction
            {
                TransactionId = string.Create(CultureInfo.InvariantCulture, $"p-{random.Next(100_000):D5}-{i}"),
                EventTime = time,
                CardId = string.Create(CultureInfo.InvariantCulture, $"card-{card}"),
                MerchantId = string.Create(CultureInfo.InvariantCulture, $"m-{random.Next(60)}"),
                MerchantCategory = random.Next(100) == 0 ? "rare-category" : categories[random.Next(categories.Length)],
                Amount = random.Next(5) == 0 ? Math.Round(0.5 + (random.NextDouble() * 4), 2) : Math.Round(Math.Exp(random.NextDouble() * 7.5), 2),
                Currency = random.Next(10) == 0 ? "eur" : "USD",
                Country = random.Next(8) == 0 ? "BR" : random.Next(200) == 0 ? "IS" : "US",
                Channel = channels[random.Next(channels.Length)],
                DeviceId = random.Next(5) == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"dev-{card}-{random.Next(2)}"),
                EmailDomain = emails[random.Next(emails.Length)],
                Attributes = random.Next(4) == 0 ? null : System.Text.Json.JsonDocument.Parse(attributes[random.Next(attributes.Length)])
                    .RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
            });
        }
        // History order: event time, then transaction id (ties).
        list.Sort(static (a, b) =>
        {
            var byTime = a.EventTime.UtcTicks.CompareTo(b.EventTime.UtcTicks);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.TransactionId, b.TransactionId);
        });
        return list;
    }

    private static Dictionary<string, float[]> Read(string path) => File.ReadLines(path)
        .Select(l => FeatureVectorWriter.Parse(System.Text.Encoding.UTF8.GetBytes(l)))
        .ToDictionary(r => r.TransactionId, r => r.Features, StringComparer.Ordinal);
}
