using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;

namespace Fraud.Streaming.Shared.Tests;

/// <summary>The compiled trees score as the ensemble predicts, and serve a model only after agreeing with ONNX Runtime.</summary>
public sealed class CompiledTreesTests
{
    /// <summary>Trees of uneven depth: each node becomes a leaf with some chance, so leaves sit at every level.</summary>
    private static RegressionTree UnevenTree(Random random, int features, int maxDepth)
    {
        var split = new List<int>();
        var threshold = new List<float>();
        var left = new List<int>();
        var right = new List<int>();
        var leaves = new List<float>();
        int Grow(int depth)
        {
            if (depth == maxDepth || (depth > 0 && random.Next(3) == 0))
            {
                leaves.Add((float)(random.NextDouble() - 0.5));
                return ~(leaves.Count - 1);
            }
            var node = split.Count;
            split.Add(random.Next(features));
            threshold.Add((float)Math.Round((random.NextDouble() * 4) - 2, 1)); // shared thresholds: exact ties are common
            left.Add(0);
            right.Add(0);
            left[node] = Grow(depth + 1);
            right[node] = Grow(depth + 1);
            return node;
        }
        if (random.Next(10) == 0)
        {
            return new RegressionTree([], [], [], [], [(float)random.NextDouble()]);
        }
        Grow(0);
        return new RegressionTree([.. split], [.. threshold], [.. left], [.. right], [.. leaves]);
    }

    private static TreeEnsemble UnevenEnsemble(int seed, int features, int trees)
    {
        var random = new Random(seed);
        return new TreeEnsemble(features, 0.3f, [.. Enumerable.Range(0, trees).Select(_ => UnevenTree(random, features, maxDepth: 7))],
            Slope: 0.9f, Offset: 0.1f);
    }

    [Theory]
    [InlineData(1, 5, 1, 1)]
    [InlineData(2, 9, 60, 7)]
    [InlineData(3, 4, 25, 513)]
    public void Probabilities_are_the_ensembles_own_bit_for_bit(int seed, int features, int trees, int rows)
    {
        var ensemble = UnevenEnsemble(seed, features, trees);
        ensemble.Validate();
        var compiled = new CompiledTrees(ensemble);
        // Probe rows (thresholds, their neighbours, NaN) and, for the last rows, values far outside every threshold.
        var x = CompiledTrees.ProbeRows(ensemble, rows);
        x[^1] = float.PositiveInfinity;
        x[0] = float.NegativeInfinity;
        var scores = new float[rows];
        compiled.Score(x, rows, scores);
        for (var r = 0; r < rows; r++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(ensemble.PredictProbability(x.AsSpan(r * features, features))), BitConverter.SingleToInt32Bits(scores[r]));
        }
    }

    [Fact]
    public void Probe_rows_are_the_same_for_the_same_model_and_test_its_thresholds()
    {
        var ensemble = UnevenEnsemble(4, 6, 30);
        var first = CompiledTrees.ProbeRows(ensemble, 64);
        Assert.Equal(first, CompiledTrees.ProbeRows(ensemble, 64));
        var thresholds = ensemble.Trees.SelectMany(t => t.Threshold).ToHashSet();
        Assert.Contains(first, thresholds.Contains);
        Assert.Contains(first, float.IsNaN);
    }

    [Fact]
    public void A_model_this_build_wrote_is_scored_by_its_compiled_trees_within_the_tolerance_of_ONNX_Runtime()
    {
        const int features = 8;
        var ensemble = UnevenEnsemble(5, features, 80);
        var bytes = OnnxTreeEnsembleWriter.Write(ensemble, [.. Enumerable.Range(0, features).Select(i => $"f{i}")]);
        using var served = new OnnxScoringModel(bytes, features);
        using var runtime = OnnxScoringModel.RuntimeOnly(bytes, features);
        Assert.True(served.IsCompiled, served.Engine);
        Assert.StartsWith("compiled trees (largest difference from ONNX Runtime", served.Engine, StringComparison.Ordinal);

        var random = new Random(9);
        const int rows = 300;
        var x = new float[rows * features];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 5) - 2.5);
        }
        var compiled = new float[rows];
        var expected = new float[rows];
        served.Score(x, rows, compiled);
        runtime.Score(x, rows, expected);
        for (var r = 0; r < rows; r++)
        {
            Assert.InRange(Math.Abs(compiled[r] - expected[r]), 0, OnnxScoringModel.Tolerance);
        }
    }

    [Fact]
    public void Trees_that_answer_otherwise_than_ONNX_Runtime_are_not_served_and_ONNX_Runtime_scores_instead()
    {
        const int features = 8;
        var ensemble = UnevenEnsemble(6, features, 40);
        var bytes = OnnxTreeEnsembleWriter.Write(ensemble, [.. Enumerable.Range(0, features).Select(i => $"f{i}")]);
        // The same trees with one leaf moved: what a reader that misread the artifact would compile.
        var first = ensemble.Trees.First(t => t.InternalNodeCount > 0);
        var leaves = (float[])first.LeafValues.Clone();
        leaves[0] += 0.5f;
        var misread = ensemble with { Trees = [.. ensemble.Trees.Select(t => ReferenceEquals(t, first) ? t with { LeafValues = leaves } : t)] };

        using var served = new OnnxScoringModel(bytes, features, misread, unread: null);
        using var runtime = OnnxScoringModel.RuntimeOnly(bytes, features);
        Assert.False(served.IsCompiled);
        Assert.StartsWith("ONNX Runtime (the compiled trees failed the check: largest difference from ONNX Runtime", served.Engine, StringComparison.Ordinal);
        var x = CompiledTrees.ProbeRows(ensemble, 64);
        var scores = new float[64];
        var expected = new float[64];
        served.Score(x, 64, scores);
        runtime.Score(x, 64, expected);
        Assert.Equal(expected, scores);
    }
}
