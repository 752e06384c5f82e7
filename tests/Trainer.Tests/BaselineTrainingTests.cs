using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Onnx;
using Fraud.Streaming.Shared.Quality;
using Fraud.Streaming.Trainer.Training;
using Microsoft.ML;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>Trains once on synthetic history through the real pipeline; the tests check the result.</summary>
public sealed class TrainedBaseline
{
    public TrainedBaseline()
    {
        var all = SyntheticHistory.Table(seed: 7, cards: 400, transactionsPerCard: 14);
        var holdoutCount = all.RowCount / 5;
        Train = all.Slice(0, all.RowCount - holdoutCount);
        Holdout = all.Slice(all.RowCount - holdoutCount, holdoutCount);
        Model = LightGbmBaseline.Train(Train, new LightGbmParameters(Rounds: 60, Leaves: 15, MinLeafRows: 10, Seed: 3));
        Onnx = OnnxTreeEnsembleWriter.Write(Model.Ensemble, FeatureSpec.CardV1.Names);
        OnnxScores = TrainJob.ScoreWithOnnx(Onnx, Holdout, FeatureSpec.CardV1.Count);
        MlNetScores = Model.PredictWithMlNet(Holdout);
    }

    internal FeatureTable Train { get; }
    internal FeatureTable Holdout { get; }
    internal LightGbmBaseline Model { get; }
    internal byte[] Onnx { get; }
    internal float[] OnnxScores { get; }
    internal float[] MlNetScores { get; }
}

public sealed class BaselineTrainingTests(TrainedBaseline trained) : IClassFixture<TrainedBaseline>
{
    [Fact]
    public void Onnx_runtime_reproduces_mlnet_probability_on_every_holdout_row()
    {
        Assert.True(trained.Holdout.RowCount > 500, $"holdout has {trained.Holdout.RowCount} rows");
        for (var i = 0; i < trained.Holdout.RowCount; i++)
        {
            var ours = trained.Model.Ensemble.PredictProbability(trained.Holdout.Row(i));
            Assert.True(Math.Abs(trained.OnnxScores[i] - trained.MlNetScores[i]) <= 1e-5,
                $"row {i}: ONNX {trained.OnnxScores[i]} vs ML.NET {trained.MlNetScores[i]}");
            Assert.True(Math.Abs(ours - trained.MlNetScores[i]) <= 1e-5, $"row {i}: ensemble {ours} vs ML.NET {trained.MlNetScores[i]}");
        }
        // Not a degenerate model that answers one constant.
        Assert.True(trained.MlNetScores.Distinct().Count() > 50);
    }

    [Fact]
    public void The_model_ranks_fraud_well_above_chance()
    {
        var e = new BinaryEvaluator(trained.OnnxScores, trained.Holdout.Labels);
        Assert.True(e.RocAuc() > 0.85, $"ROC-AUC {e.RocAuc():F4}");
        Assert.True(e.AveragePrecision() > 0.3, $"average precision {e.AveragePrecision():F4}");
    }

    [Fact]
    public void Our_auc_equals_mlnet_evaluate_on_the_same_scores()
    {
        var ml = new MLContext(1);
        var rows = trained.OnnxScores.Select((s, i) => new ScoredRow
        {
            Label = trained.Holdout.Labels[i],
            Score = s,
            Probability = s,
            PredictedLabel = s >= 0.5f,
        });
        var metrics = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(rows));
        var ours = new BinaryEvaluator(trained.OnnxScores, trained.Holdout.Labels).RocAuc();
        Assert.Equal(metrics.AreaUnderRocCurve, ours, 1e-6);
    }

    [Fact]
    public void Thresholds_are_ordered_and_respect_their_fpr()
    {
        var e = new BinaryEvaluator(trained.OnnxScores, trained.Holdout.Labels);
        var decline = e.ThresholdAtFpr(0.002);
        var review = e.ThresholdAtFpr(0.02);
        Assert.True(review <= decline, $"review {review} > decline {decline}");
        Assert.True(e.At(review).FalsePositiveRate <= 0.02);
        Assert.True(e.At(decline).FalsePositiveRate <= 0.002);
        Assert.True(e.At(review).Recall >= e.At(decline).Recall);
    }

    [Fact]
    public void Every_tree_converted_from_lightgbm_uses_numeric_splits_within_the_spec()
    {
        Assert.Equal(60, trained.Model.Ensemble.Trees.Count);
        Assert.All(trained.Model.Ensemble.Trees, t => t.Validate(FeatureSpec.CardV1.Count));
        Assert.True(trained.Model.Ensemble.Slope > 0, "calibrated probability must grow with the margin");
    }

    private sealed class ScoredRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }
}
