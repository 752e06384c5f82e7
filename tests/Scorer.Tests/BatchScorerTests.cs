using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Scorer.Tests;

public sealed class BatchScorerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private (float[] Scores, float[] Features) ScoreAll(LoadedModel model, int batchSize)
    {
        var transactions = TestData.Transactions(1200, cards: 25, seed: 8);
        var scorer = new BatchScorer(batchSize, entities: TestEntities.Complete(transactions, TestEntities.Reports(transactions, seed: 8).Reports));
        var scores = new List<float>();
        var features = new List<float>();
        foreach (var t in transactions)
        {
            scorer.Add(t, DateTimeOffset.UtcNow);
            if (scorer.IsFull)
            {
                Flush();
            }
        }
        Flush();
        return ([.. scores], [.. features]);

        void Flush()
        {
            var verdicts = scorer.Score(model, DateTimeOffset.UtcNow);
            for (var i = 0; i < verdicts.Length; i++)
            {
                Assert.Equal(scorer.ScoreAt(i), verdicts[i].Score);
                scores.Add(verdicts[i].Score);
                features.AddRange(scorer.FeaturesAt(i).ToArray());
            }
            scorer.Clear();
        }
    }

    [Fact]
    public void Scores_are_identical_whatever_the_batch_size()
    {
        TestModels.WritePackage(_dir.Path, "v1", seed: 5);
        using var model = LoadedModel.FromDirectory(_dir.Path, BatchScorer.Spec);

        var (one, oneFeatures) = ScoreAll(model, 1);
        var (seven, sevenFeatures) = ScoreAll(model, 7);
        var (full, fullFeatures) = ScoreAll(model, 512);

        Assert.Equal(1200, one.Length);
        Assert.Equal(one, seven);
        Assert.Equal(one, full);
        Assert.Equal(oneFeatures, sevenFeatures);
        Assert.Equal(oneFeatures, fullFeatures);
        // Not a constant model: identical outputs above mean something.
        Assert.True(one.Distinct().Count() > 50);
    }

    [Fact]
    public void Scores_match_the_tree_ensemble_itself()
    {
        TestModels.WritePackage(_dir.Path, "v1", seed: 5);
        using var model = LoadedModel.FromDirectory(_dir.Path, BatchScorer.Spec);
        var ensemble = TestModels.Ensemble(seed: 5);
        var scorer = new BatchScorer(100);
        foreach (var t in TestData.Transactions(100))
        {
            scorer.Add(t, DateTimeOffset.UtcNow);
        }

        var verdicts = scorer.Score(model, DateTimeOffset.UtcNow);

        for (var i = 0; i < verdicts.Length; i++)
        {
            Assert.InRange(Math.Abs(verdicts[i].Score - ensemble.PredictProbability(scorer.FeaturesAt(i))), 0, 1e-6);
        }
    }

    [Fact]
    public void Latency_is_measured_from_the_given_instant_not_the_event_time()
    {
        TestModels.WritePackage(_dir.Path, "v1", seed: 5);
        using var model = LoadedModel.FromDirectory(_dir.Path, BatchScorer.Spec);
        var scorer = new BatchScorer(4);
        var now = DateTimeOffset.UtcNow;
        scorer.Add(TestData.Transactions(1)[0], now.AddMilliseconds(-250));

        var verdict = scorer.Score(model, now)[0];

        Assert.Equal(250, verdict.LatencyMs, 3);
        Assert.Equal(now, verdict.ScoredAt);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Cards with idle gaps of up to twice the idle time, in event-time order.</summary>
    private static List<Transaction> IdleStream(int count, int cards, int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var next = Enumerable.Range(0, cards).Select(_ => start.AddHours(random.Next(24 * 10))).ToArray();
        var stream = new List<Transaction>();
        for (var i = 0; i < count; i++)
        {
            var card = random.Next(cards);
            stream.Add(TestData.Transactions(1, cards: 1, seed: i)[0] with
            {
                TransactionId = $"tx-{i:D6}",
                CardId = $"card-{card}",
                EventTime = next[card],
            });
            // Mostly busy, sometimes idle for up to ten days (the idle time below is five).
            next[card] = next[card].AddMinutes(random.Next(10) == 0 ? random.Next(10 * 24 * 60) : random.Next(600));
        }
        return [.. stream.OrderBy(t => t.EventTime).ThenBy(t => t.TransactionId, StringComparer.Ordinal)];
    }

    [Fact]
    public void Dropping_idle_cards_between_batches_changes_no_feature()
    {
        var spec = BatchScorer.Spec.WithCardIdleDays(5);
        var stream = IdleStream(6000, cards: 300, seed: 3);
        var sweeping = new BatchScorer(50, spec);
        var keeping = new BatchScorer(50, spec);
        var expired = 0;
        foreach (var chunk in stream.Chunk(50))
        {
            foreach (var t in chunk)
            {
                sweeping.Add(t, DateTimeOffset.UtcNow);
                keeping.Add(t, DateTimeOffset.UtcNow);
            }
            for (var i = 0; i < chunk.Length; i++)
            {
                Assert.Equal(keeping.FeaturesAt(i).ToArray(), sweeping.FeaturesAt(i).ToArray());
            }
            sweeping.Clear();
            keeping.Clear();
            expired += sweeping.ExpireIdleCards(long.MaxValue, latenessMs: 0);
        }
        Assert.True(expired > 100, $"only {expired} cards expired: the test does not exercise expiry");
        Assert.True(sweeping.CardCount < keeping.CardCount);
        Assert.Equal(300, keeping.CardCount);
    }

    [Fact]
    public void Expiry_is_measured_from_the_newest_event_capped_by_the_wall_clock_less_the_lateness()
    {
        var day = 86_400_000L;
        var spec = BatchScorer.Spec.WithCardIdleDays(5);
        var scorer = new BatchScorer(10, spec);
        var t0 = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(0, scorer.ExpireIdleCards(long.MaxValue, 0));
        scorer.Add(TestData.Transactions(1, cards: 1, seed: 1)[0] with { CardId = "old", EventTime = t0 }, t0);
        scorer.Add(TestData.Transactions(1, cards: 1, seed: 2)[0] with { CardId = "new", EventTime = t0.AddDays(7) }, t0);
        var now = t0.AddDays(7).ToUnixTimeMilliseconds();
        // Within the lateness allowance, and with a wall clock behind the events: nothing goes.
        Assert.Equal(0, scorer.ExpireIdleCards(long.MaxValue, 3 * day));
        Assert.Equal(0, scorer.ExpireIdleCards(now - (3 * day), 0));
        Assert.Equal(2, scorer.CardCount);
        Assert.Equal(1, scorer.ExpireIdleCards(long.MaxValue, day));
        Assert.Equal(1, scorer.CardCount);
    }

    [Fact]
    public void Flagged_verdicts_explain_their_score_approvals_only_when_asked_and_none_when_off()
    {
        var model = TestModels.Loaded;
        var transactions = TestData.Transactions(300, cards: 20, seed: 3);
        var scorer = new BatchScorer(300, entities: TestEntities.Complete(transactions, TestEntities.Reports(transactions, seed: 3).Reports));
        foreach (var t in transactions)
        {
            scorer.Add(t, DateTimeOffset.UtcNow);
        }
        var verdicts = scorer.Score(model, DateTimeOffset.UtcNow).ToArray();
        var flagged = Enumerable.Range(0, verdicts.Length).Where(i => verdicts[i].Decision != Decision.Approve).ToList();
        Assert.NotEmpty(flagged);
        Assert.Contains(verdicts, v => v.Decision == Decision.Approve);
        Assert.All(verdicts.Where(v => v.Decision == Decision.Approve), v => Assert.Empty(v.Reasons));
        var all = new ReasonBuilder(model.Spec.Count);
        foreach (var i in flagged)
        {
            var reasons = verdicts[i].Reasons;
            Assert.Equal(BatchScorer.ReasonCount, reasons.Count);
            Assert.True(reasons[0].Contribution >= reasons[1].Contribution && reasons[1].Contribution >= reasons[2].Contribution);
            // Every contribution plus the expected value is the score's log-odds (up to the reasons' rounding to 4 decimals
            // over 63 features): the top three are the largest of them.
            var every = all.Explain(model, scorer.FeaturesAt(i));
            var logit = Math.Log(verdicts[i].Score / (1 - verdicts[i].Score));
            Assert.Equal(logit, model.Explainer.ExpectedValue + every.Sum(r => (double)r.Contribution), 5e-3);
            Assert.Equal(every.OrderByDescending(r => r.Contribution).Take(3).Select(r => r.Feature), reasons.Select(r => r.Feature));
            Assert.Equal(scorer.FeaturesAt(i)[model.Spec.Names.ToList().IndexOf(reasons[0].Feature)], reasons[0].Value);
        }

        scorer.ReasonsFor = ReasonScope.All;
        verdicts = scorer.Score(model, DateTimeOffset.UtcNow).ToArray();
        Assert.All(verdicts, v => Assert.Equal(BatchScorer.ReasonCount, v.Reasons.Count));
        scorer.ReasonsFor = ReasonScope.None;
        Assert.All(scorer.Score(model, DateTimeOffset.UtcNow).ToArray(), v => Assert.Empty(v.Reasons));
    }

    [Fact]
    public void Deferred_reasons_explained_after_the_scorer_has_moved_on_are_the_ones_scored_inline()
    {
        var model = TestModels.Loaded;
        var transactions = TestData.Transactions(600, cards: 20, seed: 3);
        var entities = TestEntities.Complete(transactions, TestEntities.Reports(transactions, seed: 3).Reports);
        var inline = new BatchScorer(300, entities: entities);
        var deferring = new BatchScorer(300, entities: entities) { DefersReasons = true };
        var now = DateTimeOffset.UtcNow;
        foreach (var t in transactions.Take(300))
        {
            inline.Add(t, now);
            deferring.Add(t, now);
        }
        var expected = inline.Score(model, now).ToArray();
        var pending = new PendingVerdicts(300);
        deferring.Decide(model, now);
        pending.Capture(deferring, model);
        Assert.Equal(expected.Count(v => v.Decision != Decision.Approve), deferring.RowsAskingReasons.Length);
        var json = new VerdictJson();
        Assert.All(Enumerable.Range(0, pending.Count), i => Assert.Equal(Text(expected[i] with { Reasons = [] }), Text(pending.Write(json, i))));

        // The scorer's buffers hold the next batch before the first one's reasons are explained.
        deferring.Clear();
        foreach (var t in transactions.Skip(300))
        {
            deferring.Add(t, now);
        }
        deferring.Decide(model, now);
        pending.Explain(new ReasonBuilder(BatchScorer.ReasonCount));

        // The verdicts produced are the ones scored inline, reasons included, byte for byte.
        Assert.Equal(expected.Length, pending.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(Text(expected[i]), Text(pending.Write(json, i)));
        }
        Assert.Contains(expected, v => v.Reasons.Count > 0);
    }

    private static string Text(Verdict verdict) => Text(ContractJson.Serialize(verdict));

    private static string Text(byte[] utf8) => System.Text.Encoding.UTF8.GetString(utf8);
}
