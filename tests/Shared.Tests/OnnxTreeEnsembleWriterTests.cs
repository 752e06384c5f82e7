using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Shared.Tests;

public sealed class OnnxTreeEnsembleWriterTests
{
    internal static TreeEnsemble RandomEnsemble(int seed, int features, int trees, int depth)
    {
        var random = new Random(seed);
        var list = new List<RegressionTree>();
        for (var t = 0; t < trees; t++)
        {
            list.Add(RandomTrees.Complete(random, features, depth, thresholdMin: -2, thresholdSpan: 4, leafScale: 0.6));
        }
        return new TreeEnsemble(features, -1.5f, list, Slope: 1.3f, Offset: -0.2f);
    }

    [Fact]
    public void Onnx_runtime_probabilities_equal_the_ensembles_own_predictions()
    {
        const int features = 7;
        var model = RandomEnsemble(seed: 11, features, trees: 40, depth: 4);
        var names = Enumerable.Range(0, features).Select(i => $"f{i}").ToArray();
        var bytes = OnnxTreeEnsembleWriter.Write(model, names);

        // ONNX Runtime itself, not the compiled trees that score the models this build reads.
        using var onnx = OnnxScoringModel.RuntimeOnly(bytes, features);
        Assert.False(onnx.IsCompiled);
        var random = new Random(5);
        const int rows = 500;
        var x = new float[rows * features];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 5) - 2.5);
        }
        // Exact ties with thresholds exercise the <= branch.
        x[0] = model.Trees[0].Threshold[0];
        var scores = new float[rows];
        onnx.Score(x, rows, scores);

        for (var r = 0; r < rows; r++)
        {
            var expected = model.PredictProbability(x.AsSpan(r * features, features));
            Assert.InRange(Math.Abs(scores[r] - expected), 0, 1e-6);
        }
    }

    [Fact]
    public void A_single_leaf_tree_exports_as_its_constant()
    {
        var model = new TreeEnsemble(2, 0.25f, [new RegressionTree([], [], [], [], [0.5f])]);
        var bytes = OnnxTreeEnsembleWriter.Write(model, ["a", "b"]);
        using var onnx = new OnnxScoringModel(bytes, 2);
        var scores = new float[1];
        onnx.Score(new float[] { 3f, 4f }, 1, scores);
        Assert.Equal(1f / (1f + MathF.Exp(-0.75f)), scores[0], 6);
    }

    [Fact]
    public void A_tree_pointing_outside_itself_is_refused()
    {
        var broken = new TreeEnsemble(2, 0f, [new RegressionTree([0], [0f], [5], [~0], [1f, 2f])]);
        Assert.Throws<InvalidOperationException>(() => OnnxTreeEnsembleWriter.Write(broken, ["a", "b"]));
    }

    [Fact]
    public void A_model_with_the_wrong_feature_count_is_refused_by_the_scoring_wrapper()
    {
        var model = RandomEnsemble(seed: 1, features: 3, trees: 2, depth: 2);
        var bytes = OnnxTreeEnsembleWriter.Write(model, ["a", "b", "c"]);
        var ex = Assert.Throws<InvalidOperationException>(() => new OnnxScoringModel(bytes, 4));
        Assert.Contains("3 features", ex.Message, StringComparison.Ordinal);
    }
}
