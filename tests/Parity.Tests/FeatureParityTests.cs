using Fraud.Streaming.Scorer;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Parity.Tests;

/// <summary>
/// Online (the scorer's <see cref="BatchScorer"/>, as <c>score-file --emit-features</c> and the worker run it)
/// versus offline (<c>trainer features</c>, a separate process over sorted history): every value of every
/// transaction must have the same bits.
/// </summary>
public sealed class FeatureParityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Score_file_features_equal_trainer_features_bit_for_bit_at_every_batch_size()
    {
        var arrivals = ParityData.Arrivals(seed: 11, cards: 300, transactions: 4000);
        File.WriteAllText(_dir.File("tx.jsonl"), TestData.Jsonl(arrivals));
        var (labels, _) = TestEntities.Reports(arrivals, seed: 11);
        File.WriteAllLines(_dir.File("labels.jsonl"), labels.Select(l => System.Text.Encoding.UTF8.GetString(ContractJson.Serialize(l))));
        TestModels.WritePackage(_dir.File("model"), "v-parity", seed: 1);

        var offline = await TrainerFeaturesAsync(_dir.File("tx.jsonl"), _dir.File("offline.jsonl"), _dir.File("model"), labels: _dir.File("labels.jsonl"));
        Assert.Equal(arrivals.Count, offline.Count);
        // The entity tail is exercised: activity, reports, risk and transactions without a device all occur.
        var names = TestModels.Spec().Names.ToList();
        Assert.Contains(offline, r => r.Features[names.IndexOf("merchant_tx_count_7d_log")] > 0f);
        Assert.Contains(offline, r => r.Features[names.IndexOf("merchant_fraud_reports_7d")] > 0f);
        Assert.Contains(offline, r => r.Features[names.IndexOf("device_risk_30d")] > 0f);
        Assert.Contains(offline, r => r.Features[names.IndexOf("device_tx_count_1d_log")] == -1f);

        foreach (var batchSize in new[] { 1, 7, 256, 5000 })
        {
            var output = _dir.File($"online-{batchSize}.jsonl");
            var request = new ScoreFileRequest(_dir.File("model"), _dir.File("tx.jsonl"), _dir.File($"verdicts-{batchSize}.jsonl"),
                EmitFeatures: output, BatchSize: batchSize, Labels: _dir.File("labels.jsonl"));
            var code = await ScoreFile.RunAsync(request, new StringWriter(), new StringWriter(), CancellationToken.None);
            Assert.Equal(ExitCodes.Ok, code);
            var online = Read(output);
            Assert.Equal(arrivals.Select(t => t.TransactionId), online.Select(r => r.TransactionId));
            AssertBitwiseEqual(offline, online, $"batch size {batchSize}");
        }
    }

    [Fact]
    public async Task A_short_card_idle_time_resets_idle_cards_alike_online_and_offline()
    {
        // Gaps of up to ten days in the history: with a one-day idle time many cards start afresh mid-history.
        var arrivals = ParityData.Arrivals(seed: 12, cards: 200, transactions: 3000);
        File.WriteAllText(_dir.File("tx.jsonl"), TestData.Jsonl(arrivals));
        var package = _dir.File("model");
        TestModels.WritePackage(package, "v-idle", seed: 1, spec: BatchScorer.Spec.WithCardIdleDays(1));

        var offline = await TrainerFeaturesAsync(_dir.File("tx.jsonl"), _dir.File("offline.jsonl"), package, cardIdleDays: 1);
        var request = new ScoreFileRequest(package, _dir.File("tx.jsonl"), _dir.File("verdicts.jsonl"),
            EmitFeatures: _dir.File("online.jsonl"), BatchSize: 64, CardIdleDays: 1);
        Assert.Equal(ExitCodes.Ok, await ScoreFile.RunAsync(request, new StringWriter(), new StringWriter(), CancellationToken.None));
        var online = Read(_dir.File("online.jsonl"));
        AssertBitwiseEqual(offline, online, "card idle time 1 day");

        // The rule fired: more "first transaction" rows than cards, and fewer with the default idle time.
        var first = CardFeatureExtractor.Spec.Names.ToList().IndexOf("secs_since_prev_log");
        var resets = online.Count(r => r.Features[first] == -1f);
        Assert.True(resets > 200 + 50, $"{resets} first-transaction rows for 200 cards");
        TestModels.WritePackage(_dir.File("model-default"), "v-default", seed: 1);
        var defaults = await TrainerFeaturesAsync(_dir.File("tx.jsonl"), _dir.File("offline-default.jsonl"), _dir.File("model-default"));
        Assert.Equal(200, defaults.Count(r => r.Features[first] == -1f));

        // A model built for the default idle time is refused by a scorer configured with another.
        var error = new StringWriter();
        var refused = await ScoreFile.RunAsync(request with { ModelDirectory = _dir.File("model-default") }, new StringWriter(), error, CancellationToken.None);
        Assert.Equal(ExitCodes.BadInput, refused);
    }

    [Fact]
    public async Task Random_histories_give_the_same_features_online_in_any_interleaving_and_batch_size_as_offline()
    {
        // Property: for every seed, a random history (ties, bursts, days-long gaps) arriving in a random
        // interleaving of cards, scored in batches of a random size, equals the offline features over the
        // sorted history. Cards of different seeds are distinct, so one offline run covers every seed.
        const int seeds = 150;
        var random = new Random(2026);
        var online = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var histories = new List<List<Transaction>>();
        for (var seed = 0; seed < seeds; seed++)
        {
            histories.Add(ParityData.Arrivals(seed, cards: random.Next(1, 25), transactions: random.Next(1, 300)));
        }
        var all = histories.SelectMany(h => h).ToList();
        // Merchants are shared across seeds: every scorer reads the totals of the whole history, as from the aggregator.
        var entities = TestEntities.Complete(all);
        foreach (var arrivals in histories)
        {
            var scorer = new BatchScorer(random.Next(1, 80), entities: entities);
            foreach (var t in arrivals)
            {
                if (scorer.IsFull)
                {
                    Collect(scorer, online);
                }
                scorer.Add(t, DateTimeOffset.UnixEpoch);
            }
            Collect(scorer, online);
        }
        // The offline input is in yet another order: the trainer must sort it into history order itself.
        all = Enumerable.Reverse(all).ToList();
        File.WriteAllText(_dir.File("all.jsonl"), TestData.Jsonl(all));

        TestModels.WritePackage(_dir.File("model"), "v-property", seed: 1);
        var offline = await TrainerFeaturesAsync(_dir.File("all.jsonl"), _dir.File("offline.jsonl"), _dir.File("model"));
        Assert.Equal(all.Count, offline.Count);
        Assert.Equal(all.Count, online.Count);
        AssertBitwiseEqual(offline, online.Select(kv => (kv.Key, kv.Value)).ToList(), "property");
    }

    [Fact]
    public void Late_events_within_a_card_give_the_same_features_at_every_batch_size()
    {
        // Out-of-order events (a card's event time going back) exist only online; the policy (no elapsed time,
        // no clock rewind) must not depend on how the stream is cut into batches.
        var random = new Random(77);
        var late = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var arrivals = ParityData.Arrivals(1000 + seed, cards: random.Next(1, 15), transactions: random.Next(2, 400));
            // Swap some events with their card's next one, so that card's clock goes back.
            for (var i = 0; i < arrivals.Count; i++)
            {
                var j = arrivals.FindIndex(i + 1, e => e.CardId == arrivals[i].CardId);
                if (j > 0 && random.Next(4) == 0)
                {
                    (arrivals[i], arrivals[j]) = (arrivals[j], arrivals[i]);
                    late += arrivals[j].EventTime < arrivals[i].EventTime ? 1 : 0;
                }
            }
            var reference = Online(arrivals, batchSize: 1);
            var other = Online(arrivals, batchSize: random.Next(2, 100));
            foreach (var (id, features) in reference)
            {
                Assert.Equal(features.Select(BitConverter.SingleToInt32Bits), other[id].Select(BitConverter.SingleToInt32Bits));
            }
        }
        Assert.True(late > 100, $"only {late} late events");
    }

    private static Dictionary<string, float[]> Online(List<Transaction> arrivals, int batchSize)
    {
        var scorer = new BatchScorer(batchSize);
        var features = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var t in arrivals)
        {
            if (scorer.IsFull)
            {
                Collect(scorer, features);
            }
            scorer.Add(t, DateTimeOffset.UnixEpoch);
        }
        Collect(scorer, features);
        return features;
    }

    private static void Collect(BatchScorer scorer, Dictionary<string, float[]> into)
    {
        scorer.Score(TestModels.Loaded, DateTimeOffset.UnixEpoch); // writes the entity features from the scorer's table
        for (var i = 0; i < scorer.Count; i++)
        {
            into.Add(scorer.TransactionAt(i).TransactionId.Text!, scorer.FeaturesAt(i).ToArray());
        }
        scorer.Clear();
    }

    private static void AssertBitwiseEqual(
        IReadOnlyList<(string TransactionId, float[] Features)> offline,
        IReadOnlyList<(string TransactionId, float[] Features)> online,
        string what)
    {
        var byId = offline.ToDictionary(r => r.TransactionId, r => r.Features, StringComparer.Ordinal);
        Assert.Equal(byId.Count, online.Count);
        var names = TestModels.Spec().Names;
        foreach (var (id, features) in online)
        {
            var expected = byId[id];
            Assert.Equal(names.Count, features.Length);
            for (var f = 0; f < features.Length; f++)
            {
                if (BitConverter.SingleToInt32Bits(expected[f]) != BitConverter.SingleToInt32Bits(features[f]))
                {
                    Assert.Fail($"{what}: {id} {names[f]}: offline {expected[f]:R} online {features[f]:R}");
                }
            }
        }
    }

    private static List<(string TransactionId, float[] Features)> Read(string path) =>
        File.ReadLines(path).Select(l => FeatureVectorWriter.Parse(System.Text.Encoding.UTF8.GetBytes(l))).ToList();

    /// <param name="model">the model package whose spec the offline features must be, as score-file's.</param>
    private static async Task<List<(string TransactionId, float[] Features)>> TrainerFeaturesAsync(string input, string output, string model, int? cardIdleDays = null,
        string? labels = null)
    {
        var trainer = RepoPaths.BuiltAssembly("src/Trainer", "Fraud.Streaming.Trainer");
        List<string> args = ["features", "--transactions", input, "--out", output, "--model", model];
        if (cardIdleDays is { } days)
        {
            args.AddRange(["--card-idle-days", days.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        if (labels is not null)
        {
            args.AddRange(["--labels", labels]);
        }
        await using var process = ProcessRunner.StartDotnet(trainer, args);
        var code = await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"trainer features exited {code}:\n{process.Output}");
        var spec = TestModels.Spec(cardIdleDays is { } d ? BatchScorer.Spec.WithCardIdleDays(d) : BatchScorer.Spec);
        Assert.Contains($"spec={spec.Name} hash={spec.Hash}", process.Output, StringComparison.Ordinal);
        return Read(output);
    }

    public void Dispose() => _dir.Dispose();
}
