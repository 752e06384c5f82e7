using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Tests;

/// <summary>
/// SHAP's local accuracy on real trained models: for every holdout row, the reason-code contributions computed over the
/// trees read back from the ONNX artifact, plus the expected value, give the model's output in log-odds.
/// </summary>
public sealed class LocalAccuracyTests(TrainedGbdtFixture gbdt, TrainedBaseline lightGbm) : IClassFixture<TrainedGbdtFixture>, IClassFixture<TrainedBaseline>
{
    [Fact]
    public void Our_gbdt_contributions_add_up_to_its_margin_within_1e4_on_every_holdout_row() =>
        AssertLocalAccuracy(gbdt.Onnx, gbdt.Model.Ensemble, gbdt.Split.Holdout);

    [Fact]
    public void LightGbm_contributions_add_up_to_its_calibrated_log_odds_within_1e4_on_every_holdout_row() =>
        AssertLocalAccuracy(lightGbm.Onnx, lightGbm.Model.Ensemble, lightGbm.Holdout);

    private static void AssertLocalAccuracy(byte[] onnx, TreeEnsemble trained, FeatureTable holdout)
    {
        var trees = OnnxTreeEnsembleReader.Read(onnx);
        var shap = new TreeShap(trees);
        Assert.True(shap.UsesTrainingCovers, "the trainer records the training rows' covers in the artifact");
        Assert.True(trees.Trees.Count > 10 && shap.MaxDepth >= 3, $"{trees.Trees.Count} trees of depth {shap.MaxDepth}: not a real model");
        var workspace = shap.CreateWorkspace();
        var worst = 0d;
        for (var i = 0; i < holdout.RowCount; i++)
        {
            var row = holdout.Row(i);
            shap.Explain(row, workspace);
            var output = ((double)trained.Slope * trained.PredictMargin(row)) + trained.Offset;
            var error = Math.Abs(shap.ExpectedValue + workspace.Contributions.Sum() - output);
            worst = Math.Max(worst, error);
            Assert.True(error <= 1e-4, $"row {i}: expected value {shap.ExpectedValue} + contributions {workspace.Contributions.Sum()} vs output {output}");
        }
        // Not a vacuous pass: the rows are explained by several features, not one constant.
        shap.Explain(holdout.Row(0), workspace);
        Assert.True(workspace.Contributions.Count(c => Math.Abs(c) > 1e-6) >= 3);
        Assert.True(holdout.RowCount > 500, $"holdout of {holdout.RowCount} rows; worst error {worst:E2}");
    }
}
