namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// One regression tree in flat arrays. Internal node <c>i</c> sends a row to <see cref="Left"/>[i] when
/// <c>x[SplitFeature[i]] &lt;= Threshold[i]</c>, else to <see cref="Right"/>[i]. A negative child <c>c</c>
/// is the leaf <c>~c</c>. A tree with no internal nodes is a single leaf (index 0).
/// This is the layout of ML.NET's and our own GBDT's trees, and maps one to one onto ONNX TreeEnsemble nodes.
/// </summary>
public sealed record RegressionTree(int[] SplitFeature, float[] Threshold, int[] Left, int[] Right, float[] LeafValues)
{
    public int InternalNodeCount => SplitFeature.Length;

    /// <summary>
    /// Training rows that reached each node (the "cover" path-dependent TreeSHAP weighs the branches by): internal
    /// node <c>i</c> at index <c>i</c>, leaf <c>k</c> at <c>InternalNodeCount + k</c>, as the ONNX node ids are numbered.
    /// Null for a tree written before covers were recorded (<see cref="TreeCovers"/>).
    /// </summary>
    public float[]? Cover { get; init; }

    /// <summary>The leaf value this row lands in.</summary>
    public float Evaluate(ReadOnlySpan<float> row)
    {
        if (SplitFeature.Length == 0)
        {
            return LeafValues[0];
        }
        var node = 0;
        while (node >= 0)
        {
            node = row[SplitFeature[node]] <= Threshold[node] ? Left[node] : Right[node];
        }
        return LeafValues[~node];
    }

    /// <exception cref="InvalidOperationException">the arrays do not describe a tree.</exception>
    public void Validate(int featureCount)
    {
        var n = SplitFeature.Length;
        if (Threshold.Length != n || Left.Length != n || Right.Length != n)
        {
            throw new InvalidOperationException("tree arrays have different lengths");
        }
        if (LeafValues.Length != n + 1)
        {
            throw new InvalidOperationException($"a binary tree with {n} internal nodes has {n + 1} leaves, not {LeafValues.Length}");
        }
        for (var i = 0; i < n; i++)
        {
            if ((uint)SplitFeature[i] >= (uint)featureCount)
            {
                throw new InvalidOperationException($"node {i} splits on feature {SplitFeature[i]} of {featureCount}");
            }
            if (!float.IsFinite(Threshold[i]))
            {
                throw new InvalidOperationException($"node {i} has a non-finite threshold");
            }
            foreach (var child in (ReadOnlySpan<int>)[Left[i], Right[i]])
            {
                if (child >= n || (child < 0 && ~child > n))
                {
                    throw new InvalidOperationException($"node {i} points at child {child} outside the tree");
                }
            }
        }
        if (Cover is not null && (Cover.Length != (2 * n) + 1 || Cover.Any(c => !(c >= 0f) || float.IsInfinity(c))))
        {
            throw new InvalidOperationException($"a tree with {n} internal nodes needs {(2 * n) + 1} finite, non-negative covers, not {Cover.Length}");
        }
    }
}

/// <summary>
/// A binary classifier as a sum of regression trees: <c>p = sigmoid(Slope * (Bias + Σ tree(x)) + Offset)</c>.
/// The trainer predicts with <see cref="PredictProbability"/>; the ONNX export computes the same function.
/// </summary>
public sealed record TreeEnsemble(int FeatureCount, float Bias, IReadOnlyList<RegressionTree> Trees, float Slope = 1f, float Offset = 0f)
{
    /// <summary>Raw margin (log-odds before calibration), summed in float32 in tree order like ONNX Runtime.</summary>
    public float PredictMargin(ReadOnlySpan<float> row)
    {
        var sum = 0f;
        foreach (var tree in Trees)
        {
            sum += tree.Evaluate(row);
        }
        return sum + Bias;
    }

    public float PredictProbability(ReadOnlySpan<float> row) => Sigmoid((Slope * PredictMargin(row)) + Offset);

    internal static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public void Validate()
    {
        if (FeatureCount <= 0)
        {
            throw new InvalidOperationException("a model needs at least one feature");
        }
        foreach (var tree in Trees)
        {
            tree.Validate(FeatureCount);
        }
    }
}
