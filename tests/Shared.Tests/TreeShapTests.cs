using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Shared.Tests;

public sealed class TreeShapTests
{
    /// <summary>
    /// f = 1 when x0 &gt; 0.5 and x1 &gt; 0.5, else 0; half the training rows go each way at both splits.
    /// E[f] = 0.25. For x = (1, 1): E[f | x0] = E[f | x1] = 0.5, so each feature gets ½(0.25 + 0.5) = 0.375.
    /// For x = (1, 0): E[f | x0] = 0.5, E[f | x1] = 0, f = 0, so φ0 = ½(0.25 + 0) = 0.125 and φ1 = ½(−0.25 − 0.5) = −0.375.
    /// </summary>
    private static RegressionTree AndTree() =>
        new([0, 1], [0.5f, 0.5f], [~0, ~1], [1, ~2], [0f, 0f, 1f]) { Cover = [100f, 50f, 50f, 25f, 25f] };

    /// <summary>x2 ≤ 0 (30 of 100 rows) gives −1, else +2: E = 0.3·(−1) + 0.7·2 = 1.1.</summary>
    private static RegressionTree Stump() => new([2], [0f], [~0], [~1], [-1f, 2f]) { Cover = [100f, 30f, 70f] };

    [Fact]
    public void A_hand_checkable_ensemble_gets_exactly_the_known_shapley_values()
    {
        var shap = new TreeShap(new TreeEnsemble(3, 0.5f, [AndTree(), Stump()]));
        var workspace = shap.CreateWorkspace();
        Assert.Equal(0.5 + 0.25 + 1.1, shap.ExpectedValue, 12);

        shap.Explain([1f, 1f, -1f], workspace);
        Assert.Equal([0.375, 0.375, -2.1], workspace.Contributions.Select(c => Math.Round(c, 12)));

        shap.Explain([1f, 0f, 5f], workspace);
        Assert.Equal([0.125, -0.375, 0.9], workspace.Contributions.Select(c => Math.Round(c, 12)));
    }

    [Fact]
    public void Calibration_scales_the_contributions_and_shifts_the_expected_value()
    {
        // A LightGBM-style Platt calibration: output = 2·margin − 1.
        var shap = new TreeShap(new TreeEnsemble(3, 0.5f, [AndTree(), Stump()], Slope: 2f, Offset: -1f));
        var workspace = shap.CreateWorkspace();
        shap.Explain([1f, 0f, 5f], workspace);
        Assert.Equal([0.25, -0.75, 1.8], workspace.Contributions.Select(c => Math.Round(c, 12)));
        Assert.Equal((2 * 1.85) - 1, shap.ExpectedValue, 12);
    }

    [Theory]
    [InlineData(TreeShap.DefaultTableBudget)]
    [InlineData(0L)] // every tree by the recursion
    public void Matches_the_shapley_formula_over_every_coalition_on_random_trees(long tableBudget)
    {
        var random = new Random(11);
        const int features = 5;
        for (var trial = 0; trial < 20; trial++)
        {
            var trees = Enumerable.Range(0, 3)
                .Select(_ => RandomTrees.Complete(random, features, depth: 1 + random.Next(5), thresholdMin: 0, thresholdSpan: 1, leafScale: 2))
                .ToList();
            var rows = RandomRows(random, 200, features);
            var ensemble = TreeCovers.Count(new TreeEnsemble(features, 0.3f, trees, Slope: 1.5f, Offset: 0.2f), rows);
            var shap = new TreeShap(ensemble, tableBudget);
            Assert.Equal(tableBudget > 0 ? trees.Count : 0, shap.TabledTrees);
            var workspace = shap.CreateWorkspace();
            for (var r = 0; r < 10; r++)
            {
                var x = RandomRows(random, 1, features);
                shap.Explain(x, workspace);
                var exact = BruteForce(ensemble, x);
                for (var i = 0; i < features; i++)
                {
                    Assert.True(Math.Abs(exact[i] - workspace.Contributions[i]) < 1e-9,
                        $"trial {trial} row {r} feature {i}: TreeSHAP {workspace.Contributions[i]} vs Shapley {exact[i]}");
                }
            }
        }
    }

    [Fact]
    public void Leaf_tables_give_the_recursions_values_and_trees_past_their_limits_keep_the_recursion()
    {
        // Depth 14 over 40 features: some leaves split on more distinct features than a table takes; depth 2-6 trees all fit.
        var random = new Random(23);
        const int features = 40;
        var trees = Enumerable.Range(0, 30)
            .Select(t => RandomTrees.Complete(random, features, depth: t % 10 == 0 ? 14 : 2 + random.Next(5), thresholdMin: 0, thresholdSpan: 1, leafScale: 1))
            .ToList();
        var ensemble = TreeCovers.Count(new TreeEnsemble(features, -0.5f, trees), RandomRows(random, 2_000, features));
        var recursion = new TreeShap(ensemble, tableBudget: 0);
        var tabled = new TreeShap(ensemble);
        var limited = new TreeShap(ensemble, tableBudget: 300); // the budget runs out part way
        Assert.Equal(27, tabled.TabledTrees);
        Assert.InRange(limited.TabledTrees, 1, 26);
        var (a, b, c) = (recursion.CreateWorkspace(), tabled.CreateWorkspace(), limited.CreateWorkspace());
        for (var r = 0; r < 100; r++)
        {
            var x = RandomRows(random, 1, features);
            if (r % 7 == 0)
            {
                x[r % features] = float.NaN; // goes right at every split, as the model evaluates it
            }
            recursion.Explain(x, a);
            tabled.Explain(x, b);
            limited.Explain(x, c);
            for (var i = 0; i < features; i++)
            {
                Assert.True(Math.Abs(a.Contributions[i] - b.Contributions[i]) < 1e-9, $"row {r} feature {i}: tables {b.Contributions[i]} vs recursion {a.Contributions[i]}");
                Assert.True(Math.Abs(a.Contributions[i] - c.Contributions[i]) < 1e-9, $"row {r} feature {i}: part tables {c.Contributions[i]} vs recursion {a.Contributions[i]}");
            }
            // The margin is summed in float32.
            Assert.True(Math.Abs(ensemble.PredictMargin(x) - (tabled.ExpectedValue + b.Contributions.Sum())) < 1e-5, $"row {r}: local accuracy");
        }
    }

    [Theory]
    [InlineData(TreeShap.DefaultTableBudget)]
    [InlineData(0L)]
    public void Rows_explained_together_get_what_each_gets_alone(long tableBudget)
    {
        var random = new Random(31);
        const int features = 12;
        var trees = Enumerable.Range(0, 25).Select(_ => RandomTrees.Complete(random, features, 1 + random.Next(6), 0, 1, 1)).ToList();
        var ensemble = TreeCovers.Count(new TreeEnsemble(features, 0.1f, trees, Slope: 0.8f, Offset: 0.3f), RandomRows(random, 500, features));
        var shap = new TreeShap(ensemble, tableBudget);
        var workspace = shap.CreateWorkspace();
        const int count = 37;
        var rows = RandomRows(random, count, features);
        var together = new double[count * features];

        shap.Explain(rows, together, workspace);

        for (var r = 0; r < count; r++)
        {
            shap.Explain(rows.AsSpan(r * features, features), workspace);
            Assert.Equal(workspace.Contributions, together.AsSpan(r * features, features).ToArray());
        }
        Assert.Throws<ArgumentException>(() => shap.Explain(rows.AsSpan(1), new double[(count * features) - 1], workspace));
    }

    [Fact]
    public void Contributions_and_expected_value_add_up_to_the_margin_also_without_training_covers()
    {
        var random = new Random(5);
        var trees = Enumerable.Range(0, 20).Select(_ => RandomTrees.Complete(random, 8, 4, 0, 1, 1)).ToList();
        var ensemble = new TreeEnsemble(8, -1f, trees);
        var shap = new TreeShap(ensemble);
        Assert.False(shap.UsesTrainingCovers);
        var workspace = shap.CreateWorkspace();
        for (var r = 0; r < 200; r++)
        {
            var x = RandomRows(random, 1, 8);
            shap.Explain(x, workspace);
            Assert.Equal(ensemble.PredictMargin(x), shap.ExpectedValue + workspace.Contributions.Sum(), 4);
        }
    }

    [Fact]
    public void A_branch_no_training_row_took_gets_no_weight_and_breaks_nothing()
    {
        // Every training row has x0 <= 0.5: the right branch has cover 0.
        var tree = new RegressionTree([0, 1], [0.5f, 0.5f], [1, ~2], [~0, ~1], [7f, 1f, 3f]);
        var ensemble = TreeCovers.Count(new TreeEnsemble(2, 0f, [tree]), new float[] { 0f, 0f, 0.2f, 1f, 0.4f, 0.1f, 0.1f, 0.9f });
        Assert.Equal(0f, ensemble.Trees[0].Cover![tree.InternalNodeCount]);
        var shap = new TreeShap(ensemble);
        var workspace = shap.CreateWorkspace();
        foreach (var x in new[] { new[] { 1f, 0f }, [0f, 1f], [0.9f, 0.9f] })
        {
            shap.Explain(x, workspace);
            Assert.All(workspace.Contributions, c => Assert.True(double.IsFinite(c)));
            Assert.Equal(ensemble.PredictMargin(x), shap.ExpectedValue + workspace.Contributions.Sum(), 5);
        }
    }

    [Fact]
    public void The_onnx_artifact_gives_back_the_trees_covers_and_calibration_it_was_written_from()
    {
        var random = new Random(3);
        var trees = Enumerable.Range(0, 4).Select(_ => RandomTrees.Complete(random, 6, 3, 0, 1, 1)).ToList();
        trees.Add(new RegressionTree([], [], [], [], [0.25f]));
        var ensemble = TreeCovers.Count(new TreeEnsemble(6, 0.125f, trees, Slope: -1.5f, Offset: 0.75f), RandomRows(random, 50, 6));
        var names = Enumerable.Range(0, 6).Select(i => $"f{i}").ToArray();

        var read = OnnxTreeEnsembleReader.Read(OnnxTreeEnsembleWriter.Write(ensemble, names));

        Assert.Equal((ensemble.FeatureCount, ensemble.Bias, ensemble.Slope, ensemble.Offset), (read.FeatureCount, read.Bias, read.Slope, read.Offset));
        Assert.Equal(ensemble.Trees.Count, read.Trees.Count);
        for (var t = 0; t < trees.Count; t++)
        {
            var (a, b) = (ensemble.Trees[t], read.Trees[t]);
            Assert.Equal(a.SplitFeature, b.SplitFeature);
            Assert.Equal(a.Threshold, b.Threshold);
            Assert.Equal(a.Left, b.Left);
            Assert.Equal(a.Right, b.Right);
            Assert.Equal(a.LeafValues, b.LeafValues);
            Assert.Equal(a.Cover, b.Cover);
        }
        Assert.Null(OnnxTreeEnsembleReader.Read(OnnxTreeEnsembleWriter.Write(ensemble with { Trees = trees }, names)).Trees[0].Cover);
    }

    [Fact]
    public void Bytes_that_are_not_a_tree_ensemble_are_refused_with_the_reason()
    {
        var ex = Assert.Throws<InvalidDataException>(() => OnnxTreeEnsembleReader.Read([1, 2, 3, 4, 5]));
        Assert.Contains("ONNX", ex.Message, StringComparison.Ordinal);
    }

    private static float[] RandomRows(Random random, int rows, int features) =>
        Enumerable.Range(0, rows * features).Select(_ => (float)random.NextDouble()).ToArray();

    /// <summary>φ_i = Σ over coalitions S without i of |S|!(M−|S|−1)!/M! · (v(S ∪ {i}) − v(S)), v the path-dependent expectation.</summary>
    private static double[] BruteForce(TreeEnsemble ensemble, float[] x)
    {
        var m = ensemble.FeatureCount;
        double Value(int coalition) => ensemble.Slope * (ensemble.Bias + ensemble.Trees.Sum(t => Conditional(t, 0, x, coalition))) + ensemble.Offset;
        var phi = new double[m];
        for (var i = 0; i < m; i++)
        {
            for (var s = 0; s < 1 << m; s++)
            {
                if ((s & (1 << i)) != 0)
                {
                    continue;
                }
                var size = System.Numerics.BitOperations.PopCount((uint)s);
                var weight = Factorial(size) * Factorial(m - size - 1) / Factorial(m);
                phi[i] += weight * (Value(s | (1 << i)) - Value(s));
            }
        }
        return phi;
    }

    private static double Conditional(RegressionTree tree, int node, float[] x, int coalition)
    {
        if (tree.InternalNodeCount == 0)
        {
            return tree.LeafValues[0];
        }
        if (node < 0)
        {
            return tree.LeafValues[~node];
        }
        var f = tree.SplitFeature[node];
        if ((coalition & (1 << f)) != 0)
        {
            return Conditional(tree, x[f] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node], x, coalition);
        }
        double Cover(int child) => tree.Cover![child >= 0 ? child : tree.InternalNodeCount + ~child];
        var (l, r) = (Cover(tree.Left[node]), Cover(tree.Right[node]));
        var share = l + r > 0 ? l / (l + r) : 0.5;
        return (share * Conditional(tree, tree.Left[node], x, coalition)) + ((1 - share) * Conditional(tree, tree.Right[node], x, coalition));
    }

    private static double Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);
}
