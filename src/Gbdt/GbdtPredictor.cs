namespace Fraud.Streaming.Gbdt;

/// <summary>Scores raw feature rows the way ONNX Runtime's TreeEnsemble does: float32 sum of leaves in tree order, plus the base.</summary>
internal static class GbdtPredictor
{
    public static float LeafValue(GbdtTree tree, ReadOnlySpan<float> row)
    {
        if (tree.SplitFeature.Length == 0)
        {
            return tree.LeafValues[0];
        }
        var node = 0;
        while (true)
        {
            var next = row[tree.SplitFeature[node]] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node];
            if (next < 0)
            {
                return tree.LeafValues[~next];
            }
            node = next;
        }
    }

    public static float[] PredictProbability(GbdtModel model, GbdtDataset rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        GbdtValidation.CheckData(rows, "scored");
        if (rows.FeatureCount != model.FeatureCount)
        {
            throw new ArgumentException($"scored data has {rows.FeatureCount} features but the model expects {model.FeatureCount}");
        }
        var result = new float[rows.RowCount];
        var features = rows.FeatureCount;
        Parallel.For(0, rows.RowCount, r =>
        {
            var x = rows.Features.Span.Slice(r * features, features);
            var score = 0f;
            foreach (var tree in model.Trees)
            {
                score += LeafValue(tree, x);
            }
            score += model.BaseMargin;
            result[r] = 1f / (1f + MathF.Exp(-score));
        });
        return result;
    }
}
