using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Testing;
using Xunit.Abstractions;

namespace Fraud.Streaming.Scorer.Tests;

/// <summary>
/// Two <c>scorer run</c> processes in one consumer group; one is killed with SIGKILL mid-stream and restarted.
/// Every feature vector either of them computed (duplicates from at-least-once redelivery included) must equal,
/// bit for bit, the vector of an uninterrupted run over the same transactions, and none may be missing.
/// </summary>
public sealed class ScorerRestartTests(ITestOutputHelper output) : IDisposable
{
    private const int Count = 6_000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _dir = new();
    private readonly KafkaTestTopics _topics = new("restart");

    [KafkaFact]
    public async Task Feature_vectors_after_a_SIGKILL_and_rebalance_equal_an_uninterrupted_run()
    {
        var bootstrap = await KafkaServer.GetBootstrapServersAsync();
        foreach (var role in new[] { "transactions", "verdicts", "dlq", "models", "entities" })
        {
            await KafkaTestTopics.EnsureCreatedAsync(bootstrap, _topics.Name(role));
        }
        var model = _dir.File("model");
        TestModels.WritePackage(model, "restart-1", seed: 1);
        var transactions = TestData.Transactions(Count, cards: 300, seed: 21);
        var expected = Uninterrupted(transactions);

        var first = Start(bootstrap, model, "a1");
        var second = Start(bootstrap, model, "b");
        ProcessRunner? restarted = null;
        try
        {
            await first.WaitForLineAsync(Assigned, Patience);
            await second.WaitForLineAsync(Assigned, Patience);

            // The last third waits until the restarted scorer has its partitions back, so it scores part of the stream.
            var rejoined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var produce = Task.Run(() => Produce(bootstrap, transactions, Count * 2 / 3, rejoined.Task));

            // Mid-stream, once the first scorer has scored (and snapshotted) a good part of its share.
            await WaitUntilAsync(() => Lines("a1") >= Count / 6, first, "the first scorer to score a sixth of the stream");
            first.KillTree();
            output.WriteLine($"killed a1 after {Lines("a1")} vectors; b had {Lines("b")}");
            // The group notices after the session timeout and hands the partitions to b, which restores them first.
            await second.WaitForLineAsync("restored in", Patience);

            restarted = Start(bootstrap, model, "a2");
            await restarted.WaitForLineAsync("restored in", Patience);
            rejoined.SetResult();
            await produce;
            await WaitUntilAsync(() => Scored().Count == Count, second, $"all {Count} transactions scored");
            Assert.Equal(0, await restarted.StopAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, await second.StopAsync(TimeSpan.FromSeconds(30)));
            output.WriteLine($"a1 {Lines("a1")}, b {Lines("b")}, a2 {Lines("a2")} vectors");
            foreach (var (name, process) in new[] { ("b", second), ("a2", restarted) })
            {
                output.WriteLine($"{name}:\n" + string.Join('\n', process.Lines.Select(l => l.Text).Where(l =>
                    l.Contains("partition", StringComparison.Ordinal) || l.Contains("cold start", StringComparison.Ordinal) || l.Contains("kafka", StringComparison.Ordinal))));
            }

            // The group moved partitions with history both ways: to b after the kill (snapshot + replay), and back
            // to the restarted scorer (b's final snapshot on revoke).
            Assert.Contains(second.Lines, l => RestoredCards(l.Text) > 0);
            Assert.Contains(restarted.Lines, l => RestoredCards(l.Text) > 0);
            Assert.True(Lines("a2") > 0, "the restarted scorer scored nothing");

            var mismatches = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in new[] { "a1", "b", "a2" })
            {
                foreach (var (id, features) in Read(name))
                {
                    seen.Add(id);
                    if (!expected.TryGetValue(id, out var want))
                    {
                        mismatches.Add($"{name}: unknown transaction {id}");
                    }
                    else if (!want.AsSpan().SequenceEqual(features.Select(BitConverter.SingleToInt32Bits).ToArray()))
                    {
                        mismatches.Add($"{name}: {id} differs from the uninterrupted run");
                    }
                }
            }
            Assert.True(mismatches.Count == 0, $"{mismatches.Count} vectors differ, e.g.\n{string.Join('\n', mismatches.Take(10))}");
            Assert.Equal(Count, seen.Count);

            // Not vacuous: had the restarted scorer begun with empty cards, most of its vectors would differ.
            var byId = transactions.ToDictionary(t => t.TransactionId, StringComparer.Ordinal);
            var fresh = new BatchScorer(1);
            var rescored = Read("a2").Select(v => v.Id).Distinct(StringComparer.Ordinal).ToList();
            var wouldDiffer = 0;
            foreach (var id in rescored)
            {
                fresh.Add(byId[id], DateTimeOffset.UnixEpoch);
                fresh.Score(TestModels.Loaded, DateTimeOffset.UnixEpoch); // no entity totals, as the scorers had none
                wouldDiffer += expected[id].AsSpan().SequenceEqual(fresh.FeaturesAt(0).ToArray().Select(BitConverter.SingleToInt32Bits).ToArray()) ? 0 : 1;
                fresh.Clear();
            }
            output.WriteLine($"{wouldDiffer} of the restarted scorer's {rescored.Count} vectors depend on restored state");
            Assert.True(wouldDiffer > rescored.Count / 2, $"only {wouldDiffer} of {rescored.Count} vectors depend on restored state");
        }
        finally
        {
            first.Dispose();
            second.Dispose();
            restarted?.Dispose();
        }
    }

    private static bool Assigned(string line) => line.Contains("partitions assigned", StringComparison.Ordinal) && line.Contains("restart", StringComparison.Ordinal);

    /// <summary>The card count of a "partition ... restored in ... s: N cards from the snapshot" line, or -1.</summary>
    private static int RestoredCards(string line)
    {
        var at = line.IndexOf(" cards from the snapshot", StringComparison.Ordinal);
        if (at < 0)
        {
            return -1;
        }
        var start = line.LastIndexOf(' ', at - 1) + 1;
        return int.Parse(line.AsSpan(start, at - start), System.Globalization.CultureInfo.InvariantCulture);
    }

    private ProcessRunner Start(string bootstrap, string model, string name) => ProcessRunner.StartDotnet(
        RepoPaths.BuiltAssembly("src/Scorer", "Fraud.Streaming.Scorer"),
        ["run", "--urls", "http://127.0.0.1:0"],
        new Dictionary<string, string?>
        {
            ["Kafka__BootstrapServers"] = bootstrap,
            ["Kafka__TransactionsTopic"] = _topics.Name("transactions"),
            ["Kafka__VerdictsTopic"] = _topics.Name("verdicts"),
            ["Kafka__DlqTopic"] = _topics.Name("dlq"),
            ["Kafka__ModelsTopic"] = _topics.Name("models"),
            // No aggregator here: the totals topic stays empty, every batch reads no entity day (and says so), at once.
            ["Kafka__EntityTotalsTopic"] = _topics.Name("entities"),
            ["Scorer__EntityMaxWaitMs"] = "0",
            ["Scorer__GroupId"] = $"{_topics.Prefix}.scorer",
            ["Scorer__InitialModel"] = model,
            ["Scorer__EmitFeatures"] = _dir.File($"{name}.features.jsonl"),
            ["Scorer__SessionTimeoutMs"] = "6000",
            ["State__Directory"] = _dir.File("state"),
            ["State__SnapshotIntervalSeconds"] = "1",
            ["DOTNET_gcServer"] = "0",
        });

    /// <summary>The stream, keyed by card, about 300 per second, with a malformed message now and then; stops at <paramref name="pauseAt"/> until <paramref name="resume"/>.</summary>
    private void Produce(string bootstrap, List<Transaction> transactions, int pauseAt, Task resume)
    {
        var config = new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 50 };
        using var producer = new ProducerBuilder<string, byte[]>(config).Build();
        var topic = _topics.Name("transactions");
        for (var i = 0; i < transactions.Count; i++)
        {
            if (i == pauseAt)
            {
                producer.Flush(Patience);
                resume.Wait(Patience);
            }
            var t = transactions[i];
            producer.Produce(topic, new Message<string, byte[]> { Key = t.CardId, Value = ContractJson.Serialize(t) });
            if (i % 500 == 0)
            {
                producer.Produce(topic, new Message<string, byte[]> { Key = t.CardId, Value = Encoding.UTF8.GetBytes(TestData.Malformed[0].Line) });
            }
            if (i % 30 == 29)
            {
                Thread.Sleep(100);
            }
        }
        producer.Flush(Patience);
    }

    /// <summary>The vectors of one scorer run over the whole stream, as raw bits per transaction.</summary>
    private static Dictionary<string, int[]> Uninterrupted(List<Transaction> transactions)
    {
        var batch = new BatchScorer(1);
        var vectors = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var t in transactions)
        {
            batch.Add(t, DateTimeOffset.UnixEpoch);
            batch.Score(TestModels.Loaded, DateTimeOffset.UnixEpoch); // no entity totals, as the scorers had none
            vectors[t.TransactionId] = [.. batch.FeaturesAt(0).ToArray().Select(BitConverter.SingleToInt32Bits)];
            batch.Clear();
        }
        return vectors;
    }

    private int Lines(string name) => File.Exists(_dir.File($"{name}.features.jsonl")) ? Read(name).Count : 0;

    private HashSet<string> Scored() => [.. new[] { "a1", "b", "a2" }.SelectMany(Read).Select(v => v.Id)];

    /// <summary>A scorer's vectors; a line cut short by SIGKILL (only ever the last) is left out.</summary>
    private List<(string Id, float[] Features)> Read(string name)
    {
        var path = _dir.File($"{name}.features.jsonl");
        if (!File.Exists(path))
        {
            return [];
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n');
        var vectors = new List<(string, float[])>(lines.Length);
        for (var i = 0; i < lines.Length - 1; i++)
        {
            vectors.Add(FeatureVectorWriter.Parse(Encoding.UTF8.GetBytes(lines[i])));
        }
        // The text after the last newline is incomplete: still being written, or cut by the kill.
        return vectors;
    }

    private static Task WaitUntilAsync(Func<bool> condition, ProcessRunner watched, string what) => Waits.UntilAsync(condition, Patience, what, watched);

    public void Dispose() => _dir.Dispose();
}
