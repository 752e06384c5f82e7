using Fraud.Streaming.Shared.Quality;
namespace Fraud.Streaming.Gbdt.Tests;

public sealed class GbdtTrainerTests
{
    private static readonly GbdtOptions Small = new() { Rounds = 20, MaxDepth = 4, MaxBins = 32, Device = GbdtDevice.Cpu, Threads = 2 };

    [Fact]
    public void Finds_the_one_split_that_separates_a_tiny_dataset()
    {
        // Feature 1 separates the labels at 3 <= x; feature 0 is noise, feature 2 is missing on the positives.
        float[] x =
        [
            5, 1, 0,
            1, 2, 0,
            4, 2, 0,
            2, 3, float.NaN,
            3, 7, float.NaN,
            6, 8, float.NaN,
        ];
        bool[] y = [false, false, false, true, true, true];
        var data = new GbdtDataset(x, 6, 3, y);
        var model = GbdtTrainer.Train(data, null, new GbdtOptions { Rounds = 1, MaxDepth = 1, MinChildWeight = 0, Lambda = 0, Device = GbdtDevice.Cpu });

        var tree = Assert.Single(model.Trees);
        // Feature 1 (bins ≤ 2) and feature 2 (values vs missing) separate equally well: the lower feature index wins.
        Assert.Equal([1], tree.SplitFeature);
        Assert.Equal([2f], tree.Threshold);
        Assert.True(tree.LeafValues[~tree.Left[0]] < 0);
        Assert.True(tree.LeafValues[~tree.Right[0]] > 0);
        Assert.Equal(0f, model.BaseMargin);
        // With lambda 0 the leaf is -G/H * lr: G = 3 * 0.5, H = 3 * 0.25 at p = 0.5.
        Assert.Equal(-0.2f, tree.LeafValues[~tree.Left[0]], 1e-6f);
    }

    [Fact]
    public void Missing_values_go_right_and_a_value_versus_missing_split_is_found()
    {
        float[] x = [1, 2, 3, float.NaN, float.NaN, float.NaN, 1, 2];
        bool[] y = [false, false, false, true, true, true, false, false];
        var model = GbdtTrainer.Train(new GbdtDataset(x, 8, 1, y), null,
            new GbdtOptions { Rounds = 1, MaxDepth = 1, MinChildWeight = 0, Device = GbdtDevice.Cpu });

        var tree = Assert.Single(model.Trees);
        Assert.Equal([0], tree.SplitFeature);
        Assert.Equal([3f], tree.Threshold);
        var p = GbdtTrainer.PredictProbability(model, new GbdtDataset(new float[] { 2, float.NaN }, 2, 1, new bool[2]));
        var prior = 1f / (1f + MathF.Exp(-model.BaseMargin));
        Assert.True(p[0] < prior && p[1] > prior, $"p = {p[0]}, {p[1]}, prior {prior}");
    }

    [Fact]
    public void Learns_a_separable_problem()
    {
        var train = SyntheticData.Make(4000, 8, seed: 1, noise: 0.05);
        var test = SyntheticData.Make(2000, 8, seed: 2, noise: 0.05);
        var model = GbdtTrainer.Train(train, null, Small with { Rounds = 60 });

        var auc = new BinaryEvaluator(GbdtTrainer.PredictProbability(model, test), test.Labels.Span).RocAuc();
        Assert.True(auc > 0.97, $"AUC {auc}");
        Assert.Equal(60, model.Trees.Count);
        Assert.StartsWith("cpu:managed", model.DeviceDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void Thread_count_does_not_change_the_model()
    {
        var data = SyntheticData.Make(3000, 10, seed: 3);
        var options = Small with { RowSubsample = 0.7, ColumnSubsample = 0.6, ScalePosWeight = 3 };
        var one = GbdtTrainer.Train(data, null, options with { Threads = 1 });
        var two = GbdtTrainer.Train(data, null, options with { Threads = 2 });

        ModelAssert.SameTrees(one, two, leafTolerance: 0);
    }

    [Fact]
    public void Different_seeds_sample_different_rows()
    {
        var data = SyntheticData.Make(2000, 6, seed: 4);
        var options = Small with { RowSubsample = 0.5, Rounds = 3 };
        var a = GbdtTrainer.Train(data, null, options with { Seed = 1 });
        var b = GbdtTrainer.Train(data, null, options with { Seed = 2 });

        Assert.NotEqual(a.Trees[0].LeafValues, b.Trees[0].LeafValues);
    }

    [Fact]
    public void Early_stopping_stops_and_keeps_the_best_round()
    {
        // Pure noise labels: validation loss stops improving after a few rounds of overfitting.
        var random = new Random(5);
        GbdtDataset Noise(int rows)
        {
            var x = new float[rows * 4];
            var y = new bool[rows];
            for (var i = 0; i < x.Length; i++)
            {
                x[i] = (float)random.NextDouble();
            }
            for (var i = 0; i < rows; i++)
            {
                y[i] = random.NextDouble() < 0.3;
            }
            return new GbdtDataset(x, rows, 4, y);
        }
        var train = Noise(600);
        var validation = Noise(600);
        var rounds = new List<GbdtRound>();
        var model = GbdtTrainer.Train(train, validation, Small with { Rounds = 200, MaxDepth = 6, LearningRate = 0.3, EarlyStoppingRounds = 5 },
            new SynchronousProgress(rounds));

        Assert.True(rounds.Count < 200, $"ran {rounds.Count} rounds");
        Assert.Equal(model.BestRound + 5, rounds.Count);
        Assert.Equal(model.BestRound, model.Trees.Count);
        var best = rounds.MinBy(r => r.ValidationLogLoss!.Value);
        Assert.Equal(model.BestRound, best.Round);
        Assert.All(rounds, r => Assert.Equal(200, r.TotalRounds));
    }

    [Fact]
    public void Without_early_stopping_every_round_is_kept_and_validation_loss_still_reported()
    {
        var train = SyntheticData.Make(800, 4, seed: 13);
        var validation = SyntheticData.Make(400, 4, seed: 14);
        var rounds = new List<GbdtRound>();
        var model = GbdtTrainer.Train(train, validation, Small with { Rounds = 12 }, new SynchronousProgress(rounds));

        Assert.Equal(12, model.Trees.Count);
        Assert.Equal(12, model.BestRound);
        Assert.All(rounds, r => Assert.NotNull(r.ValidationLogLoss));
        Assert.True(rounds[^1].ValidationLogLoss < rounds[0].ValidationLogLoss);
    }

    [Fact]
    public void Reports_progress_every_round_and_honours_cancellation()
    {
        var data = SyntheticData.Make(500, 4, seed: 6);
        var rounds = new List<GbdtRound>();
        Assert.Throws<OperationCanceledException>(() =>
        {
            using var cts = new CancellationTokenSource();
            GbdtTrainer.Train(data, null, Small with { Rounds = 50 }, new SynchronousProgress(rounds, r =>
            {
                if (r.Round == 3)
                {
                    cts.Cancel();
                }
            }), cts.Token);
        });
        Assert.Equal([1, 2, 3], rounds.Select(r => r.Round));
        Assert.True(rounds[2].TrainLogLoss < rounds[0].TrainLogLoss);
    }

    [Fact]
    public void PredictProbability_equals_a_plain_tree_walk()
    {
        var data = SyntheticData.Make(1500, 6, seed: 7);
        var model = GbdtTrainer.Train(data, null, Small with { MaxDepth = 5, ScalePosWeight = 4 });
        var predicted = GbdtTrainer.PredictProbability(model, data);

        var x = data.Features.Span;
        for (var r = 0; r < data.RowCount; r++)
        {
            var sum = 0f;
            foreach (var tree in model.Trees)
            {
                var node = 0;
                while (node >= 0)
                {
                    var v = x[(r * 6) + tree.SplitFeature[node]];
                    node = v <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node];
                }
                sum += tree.LeafValues[~node];
            }
            var expected = 1f / (1f + MathF.Exp(-(sum + model.BaseMargin)));
            Assert.Equal(expected, predicted[r]);
        }
    }

    [Fact]
    public void Scale_pos_weight_moves_the_base_margin_to_the_weighted_log_odds()
    {
        var data = SyntheticData.Make(1000, 4, seed: 8);
        var positives = data.Labels.ToArray().Count(l => l);
        var model = GbdtTrainer.Train(data, null, Small with { Rounds = 1, ScalePosWeight = 5 });

        Assert.Equal((float)Math.Log(5.0 * positives / (1000 - positives)), model.BaseMargin);
    }

    public static TheoryData<string, GbdtOptions> BadOptions => new()
    {
        { "Rounds", Small with { Rounds = 0 } },
        { "MaxDepth", Small with { MaxDepth = 0 } },
        { "MaxBins", Small with { MaxBins = 256 } },
        { "LearningRate", Small with { LearningRate = double.NaN } },
        { "Lambda", Small with { Lambda = -1 } },
        { "MinChildWeight", Small with { MinChildWeight = -0.5 } },
        { "MinSplitGain", Small with { MinSplitGain = -1 } },
        { "RowSubsample", Small with { RowSubsample = 0 } },
        { "ColumnSubsample", Small with { ColumnSubsample = 1.5 } },
        { "ScalePosWeight", Small with { ScalePosWeight = 0 } },
        { "EarlyStoppingRounds needs a validation", Small with { EarlyStoppingRounds = 3 } },
        { "Threads", Small with { Threads = 0 } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_fail_with_a_message_naming_the_option(string name, GbdtOptions options)
    {
        var data = SyntheticData.Make(50, 3, seed: 9);
        var error = Assert.Throws<ArgumentException>(() => GbdtTrainer.Train(data, null, options));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_data_fails_with_a_message_naming_the_problem()
    {
        var good = SyntheticData.Make(50, 3, seed: 10);
        Assert.Contains("Features has 149 values",
            Assert.Throws<ArgumentException>(() => GbdtTrainer.Train(new GbdtDataset(good.Features[..149], 50, 3, good.Labels), null, Small)).Message,
            StringComparison.Ordinal);
        Assert.Contains("Labels has 49 values",
            Assert.Throws<ArgumentException>(() => GbdtTrainer.Train(new GbdtDataset(good.Features, 50, 3, good.Labels[..49]), null, Small)).Message,
            StringComparison.Ordinal);
        Assert.Contains("both classes",
            Assert.Throws<ArgumentException>(() => GbdtTrainer.Train(new GbdtDataset(good.Features, 50, 3, new bool[50]), null, Small)).Message,
            StringComparison.Ordinal);
        var other = SyntheticData.Make(10, 4, seed: 11);
        Assert.Contains("validation data has 4 features",
            Assert.Throws<ArgumentException>(() => GbdtTrainer.Train(good, other, Small)).Message, StringComparison.Ordinal);
        Assert.Contains("model expects 3",
            Assert.Throws<ArgumentException>(() => GbdtTrainer.PredictProbability(GbdtTrainer.Train(good, null, Small with { Rounds = 1 }), other)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_failure_mid_training_becomes_one_line_naming_the_device_and_the_tree()
    {
        var data = SyntheticData.Make(300, 3, seed: 12);
        var error = Assert.Throws<InvalidOperationException>(() => GbdtBooster.Train(data, null, Small with { Rounds = 5 }, null, CancellationToken.None,
            (rows, parallel) => (new FailingBackend(new ManagedBackend(rows, parallel), failOnTree: 3), "the test's")));

        Assert.Equal("growing tree 3 on gpu:failing failed: InvalidProgramException: launch failed: unspecified launch failure", error.Message);
        Assert.IsType<InvalidProgramException>(error.InnerException);
    }

    /// <summary>A backend whose device fails (as a driver error would) when it finishes the given tree.</summary>
    private sealed class FailingBackend(IGbdtBackend inner, int failOnTree) : IGbdtBackend
    {
        private int _trees;

        public string Description => "gpu:failing";

        public RoundStart BeginTree(int round) => inner.BeginTree(round);

        public void FindSplits(int activeNodes, ReadOnlySpan<long> nodeTotals, ReadOnlySpan<bool> featureAllowed, SplitParams p, Span<SplitCandidate> best) =>
            inner.FindSplits(activeNodes, nodeTotals, featureAllowed, p, best);

        public void ApplySplits(ReadOnlySpan<NodeDecision> decisions, bool buildHistograms) => inner.ApplySplits(decisions, buildHistograms);

        public double FinishTree(BinTree tree) =>
            ++_trees == failOnTree ? throw new InvalidProgramException("launch failed:\nunspecified launch failure") : inner.FinishTree(tree);

        public void Dispose() => inner.Dispose();
    }

    /// <summary>Progress of T posts to the thread pool; tests need the reports in order, on the training thread.</summary>
    private sealed class SynchronousProgress(List<GbdtRound> rounds, Action<GbdtRound>? then = null) : IProgress<GbdtRound>
    {
        public void Report(GbdtRound value)
        {
            rounds.Add(value);
            then?.Invoke(value);
        }
    }
}
