using Fraud.Streaming.Gbdt;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Onnx;
using Fraud.Streaming.Shared.Quality;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>Our GBDT trained once on synthetic history through the real pipeline and time split; the tests check the result.</summary>
public sealed class TrainedGbdtFixture
{
    public TrainedGbdtFixture()
    {
        Split = TimeSplit.Of(SyntheticHistory.Table(seed: 7, cards: 400, transactionsPerCard: 14), validationFraction: 0.1, holdoutFraction: 0.2);
        Model = TrainedGbdt.Train(Split.Train, Split.Validation, new GbdtOptions { Rounds = 60, MaxDepth = 4, Device = GbdtDevice.Cpu, Seed = 3 },
            new ListProgress(Rounds));
        Onnx = OnnxTreeEnsembleWriter.Write(Model.Ensemble, FeatureSpec.CardV1.Names);
        OnnxScores = TrainJob.ScoreWithOnnx(Onnx, Split.Holdout, FeatureSpec.CardV1.Count);
        OwnScores = Model.PredictReference(Split.Holdout);
    }

    internal TimeSplit Split { get; }
    internal TrainedGbdt Model { get; }
    internal List<GbdtRound> Rounds { get; } = [];
    internal byte[] Onnx { get; }
    internal float[] OnnxScores { get; }
    internal float[] OwnScores { get; }

    /// <summary>Synchronous, unlike <see cref="Progress{T}"/>, which posts to the thread pool.</summary>
    private sealed class ListProgress(List<GbdtRound> rounds) : IProgress<GbdtRound>
    {
        public void Report(GbdtRound value) => rounds.Add(value);
    }
}

public sealed class GbdtTrainingTests(TrainedGbdtFixture trained) : IClassFixture<TrainedGbdtFixture>
{
    [Fact]
    public void Onnx_runtime_reproduces_our_gbdt_probability_within_1e5_on_every_holdout_row()
    {
        Assert.True(trained.Split.Holdout.RowCount > 500, $"holdout has {trained.Split.Holdout.RowCount} rows");
        for (var i = 0; i < trained.Split.Holdout.RowCount; i++)
        {
            Assert.True(Math.Abs(trained.OnnxScores[i] - trained.OwnScores[i]) <= 1e-5, $"row {i}: ONNX {trained.OnnxScores[i]} vs GBDT {trained.OwnScores[i]}");
            var ensemble = trained.Model.Ensemble.PredictProbability(trained.Split.Holdout.Row(i));
            Assert.True(Math.Abs(ensemble - trained.OwnScores[i]) <= 1e-5, $"row {i}: converted ensemble {ensemble} vs GBDT {trained.OwnScores[i]}");
        }
        Assert.True(trained.OwnScores.Distinct().Count() > 50, "a degenerate model that answers a few constants");
        Assert.Equal(1e-5, trained.Model.ExportTolerance);
    }

    [Fact]
    public void The_converted_ensemble_is_the_model_with_its_base_margin_as_bias_and_no_calibration()
    {
        var e = trained.Model.Ensemble;
        Assert.Equal(trained.Model.Model.BaseMargin, e.Bias);
        Assert.Equal(1f, e.Slope);
        Assert.Equal(0f, e.Offset);
        Assert.Equal(trained.Model.Model.Trees.Count, e.Trees.Count);
        Assert.Equal(trained.Model.Model.BestRound, e.Trees.Count);
        Assert.All(e.Trees, t => t.Validate(FeatureSpec.CardV1.Count));
    }

    [Fact]
    public void The_model_ranks_fraud_well_above_chance_on_the_newest_rows()
    {
        var e = new BinaryEvaluator(trained.OnnxScores, trained.Split.Holdout.Labels);
        Assert.True(e.RocAuc() > 0.85, $"ROC-AUC {e.RocAuc():F4}");
    }

    [Fact]
    public void The_time_split_keeps_train_before_validation_before_holdout()
    {
        var s = trained.Split;
        Assert.True(s.Train.EventTimes[^1] <= s.Validation.EventTimes[0]);
        Assert.True(s.Validation.EventTimes[^1] <= s.Holdout.EventTimes[0]);
        var total = s.Train.RowCount + s.Validation.RowCount + s.Holdout.RowCount;
        Assert.Equal(Math.Round(total * 0.2), s.Holdout.RowCount);
        Assert.Equal(Math.Round(total * 0.1), s.Validation.RowCount);
    }

    [Fact]
    public void Every_round_reports_progress_with_a_validation_metric()
    {
        Assert.NotEmpty(trained.Rounds);
        Assert.Equal(Enumerable.Range(1, trained.Rounds.Count), trained.Rounds.Select(r => r.Round));
        Assert.All(trained.Rounds, r => Assert.NotNull(r.ValidationLogLoss));
        var line = RoundProgress.Format(trained.Rounds[9]);
        Assert.Matches(@"^round 10/60 \| train logloss \d\.\d{5} \| validation logloss \d\.\d{5} \| \d+\.\d s \| ETA \d+\.\d s$", line);
    }
}
