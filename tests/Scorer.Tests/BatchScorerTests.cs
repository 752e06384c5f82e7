using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer.Tests;

public sealed class BatchScorerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private (float[] Scores, float[] Features) ScoreAll(LoadedModel model, int batchSize)
    {
        var transactions = TestData.Transactions(1200, cards: 25, seed: 8);
        var scorer = new BatchScorer(batchSize);
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
}
