using System.Buffers.Binary;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx.Proto;
using Google.Protobuf;

namespace Fraud.Streaming.Shared.Onnx;

/// <summary>
/// Reads back the <see cref="TreeEnsemble"/> of a model <see cref="OnnxTreeEnsembleWriter"/> wrote: trees, bias,
/// calibration and, when recorded, node covers. The scorer explains verdicts over exactly the trees it serves (the
/// artifact whose SHA-256 the manifest names), whichever algorithm grew them.
/// </summary>
public static class OnnxTreeEnsembleReader
{
    /// <exception cref="InvalidDataException">the bytes are not a tree ensemble in the writer's layout; the message says what differs.</exception>
    public static TreeEnsemble Read(byte[] onnx)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(onnx);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"not an ONNX model: {ex.Message}", ex);
        }
        var graph = model.Graph ?? throw new InvalidDataException("the ONNX model has no graph");
        var ops = string.Join(",", graph.Node.Select(n => n.OpType));
        if (ops != "TreeEnsembleRegressor,Mul,Add,Sigmoid")
        {
            throw new InvalidDataException($"the graph is {ops}, not the tree ensemble layout (TreeEnsembleRegressor,Mul,Add,Sigmoid)");
        }
        var node = graph.Node[0];
        var attributes = node.Attribute.ToDictionary(a => a.Name, StringComparer.Ordinal);
        if (Text(attributes, "aggregate_function", "SUM") != "SUM" || Text(attributes, "post_transform", "NONE") != "NONE")
        {
            throw new InvalidDataException("the tree ensemble must sum its trees without a post transform");
        }
        var featureCount = (int)(graph.Input.Count == 1 ? graph.Input[0].Type?.TensorType?.Shape?.Dim.ElementAtOrDefault(1)?.DimValue ?? 0 : 0);
        var bias = attributes.TryGetValue("base_values", out var baseValues) && baseValues.Floats.Count > 0 ? baseValues.Floats[0] : 0f;
        var trees = Trees(attributes);
        var covers = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxTreeEnsembleWriter.NodeCoversKey)?.Value;
        if (covers is not null)
        {
            trees = WithCovers(trees, covers);
        }
        var ensemble = new TreeEnsemble(featureCount, bias, trees, Scalar(graph, "slope"), Scalar(graph, "offset"));
        try
        {
            ensemble.Validate();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidDataException($"the trees are malformed: {ex.Message}", ex);
        }
        return ensemble;
    }

    private static List<RegressionTree> Trees(Dictionary<string, AttributeProto> a)
    {
        var treeIds = Ints(a, "nodes_treeids");
        var nodeIds = Ints(a, "nodes_nodeids");
        var featureIds = Ints(a, "nodes_featureids");
        var modes = a.TryGetValue("nodes_modes", out var m) ? m.Strings.Select(s => s.ToStringUtf8()).ToArray() : [];
        var values = a.TryGetValue("nodes_values", out var v) ? v.Floats.ToArray() : [];
        var trueIds = Ints(a, "nodes_truenodeids");
        var falseIds = Ints(a, "nodes_falsenodeids");
        var count = treeIds.Length;
        if (new[] { nodeIds.Length, featureIds.Length, modes.Length, values.Length, trueIds.Length, falseIds.Length }.Any(n => n != count))
        {
            throw new InvalidDataException("the tree ensemble's node attributes have different lengths");
        }
        var leafValues = new Dictionary<(long Tree, long Node), float>();
        var targetTrees = Ints(a, "target_treeids");
        var targetNodes = Ints(a, "target_nodeids");
        var weights = a.TryGetValue("target_weights", out var w) ? w.Floats.ToArray() : [];
        if (targetTrees.Length != targetNodes.Length || targetNodes.Length != weights.Length)
        {
            throw new InvalidDataException("the tree ensemble's target attributes have different lengths");
        }
        for (var i = 0; i < weights.Length; i++)
        {
            leafValues[(targetTrees[i], targetNodes[i])] = leafValues.GetValueOrDefault((targetTrees[i], targetNodes[i])) + weights[i];
        }

        var trees = new List<RegressionTree>();
        var start = 0;
        while (start < count)
        {
            var tree = treeIds[start];
            var end = start;
            while (end < count && treeIds[end] == tree)
            {
                end++;
            }
            if (tree != trees.Count)
            {
                throw new InvalidDataException($"tree {tree} where tree {trees.Count} was expected: trees must be numbered in order");
            }
            trees.Add(Tree(tree, start, end, nodeIds, featureIds, modes, values, trueIds, falseIds, leafValues));
            start = end;
        }
        return trees;
    }

    /// <summary>One tree in the writer's numbering: internal nodes 0..n-1 first, then leaf k as node n + k.</summary>
    private static RegressionTree Tree(long tree, int start, int end, long[] nodeIds, long[] featureIds, string[] modes, float[] values,
        long[] trueIds, long[] falseIds, Dictionary<(long, long), float> leafValues)
    {
        var n = 0;
        while (start + n < end && modes[start + n] == "BRANCH_LEQ")
        {
            n++;
        }
        if (end - start != (2 * n) + 1)
        {
            throw new InvalidDataException($"tree {tree}: {end - start} nodes with {n} BRANCH_LEQ splits first; a binary tree in this layout has {(2 * n) + 1}");
        }
        int Child(long id) => id < n ? (int)id : ~(int)(id - n);
        var split = new int[n];
        var threshold = new float[n];
        var left = new int[n];
        var right = new int[n];
        for (var i = 0; i < n; i++)
        {
            var at = start + i;
            if (nodeIds[at] != i)
            {
                throw new InvalidDataException($"tree {tree}: node id {nodeIds[at]} at position {i}");
            }
            split[i] = (int)featureIds[at];
            threshold[i] = values[at];
            left[i] = Child(trueIds[at]);
            right[i] = Child(falseIds[at]);
        }
        var leaves = new float[n + 1];
        for (var k = 0; k <= n; k++)
        {
            var at = start + n + k;
            if (modes[at] != "LEAF" || nodeIds[at] != n + k)
            {
                throw new InvalidDataException($"tree {tree}: node {nodeIds[at]} ({modes[at]}) where leaf {n + k} was expected");
            }
            leaves[k] = leafValues.GetValueOrDefault((tree, n + k));
        }
        return new RegressionTree(split, threshold, left, right, leaves);
    }

    private static List<RegressionTree> WithCovers(List<RegressionTree> trees, string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"{OnnxTreeEnsembleWriter.NodeCoversKey} is not base64: {ex.Message}", ex);
        }
        var expected = trees.Sum(t => (2 * t.InternalNodeCount) + 1);
        if (bytes.Length != expected * sizeof(float))
        {
            throw new InvalidDataException($"{OnnxTreeEnsembleWriter.NodeCoversKey} holds {bytes.Length / sizeof(float)} covers for {expected} nodes");
        }
        var at = 0;
        return trees.Select(t =>
        {
            var cover = new float[(2 * t.InternalNodeCount) + 1];
            for (var i = 0; i < cover.Length; i++, at++)
            {
                cover[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(at * sizeof(float)));
            }
            return t with { Cover = cover };
        }).ToList();
    }

    private static long[] Ints(Dictionary<string, AttributeProto> a, string name) => a.TryGetValue(name, out var v) ? v.Ints.ToArray() : [];

    private static string Text(Dictionary<string, AttributeProto> a, string name, string fallback) =>
        a.TryGetValue(name, out var v) ? v.S.ToStringUtf8() : fallback;

    private static float Scalar(GraphProto graph, string name) =>
        graph.Initializer.FirstOrDefault(t => t.Name == name) is { FloatData.Count: 1 } tensor
            ? tensor.FloatData[0]
            : throw new InvalidDataException($"the graph has no scalar initializer '{name}'");
}
