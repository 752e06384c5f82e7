using System.Text;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx.Proto;
using Google.Protobuf;

namespace Fraud.Streaming.Shared.Onnx;

/// <summary>
/// Writes a <see cref="TreeEnsemble"/> as an ONNX model: <c>ai.onnx.ml</c> TreeEnsembleRegressor (raw margin),
/// then <c>Mul</c>/<c>Add</c> (calibration) and <c>Sigmoid</c>. Input <c>features</c> is float[N, F];
/// output <c>probability</c> is float[N, 1].
/// </summary>
public static class OnnxTreeEnsembleWriter
{
    public const string InputName = "features";
    public const string OutputName = "probability";
    private const long IrVersion = 8;
    private const long OnnxOpset = 17;
    private const long MlOpset = 3;

    /// <summary>
    /// Metadata key of the trees' covers (<see cref="RegressionTree.Cover"/>): base64 of little-endian float32, tree by
    /// tree, each in ONNX node-id order. ONNX's TreeEnsemble has no cover attribute; ONNX Runtime ignores metadata, and the
    /// covers travel inside the artifact its SHA-256 protects.
    /// </summary>
    public const string NodeCoversKey = "node_covers";

    public static byte[] Write(TreeEnsemble model, IReadOnlyList<string> featureNames, IReadOnlyDictionary<string, string>? metadata = null)
    {
        model.Validate();
        if (featureNames.Count != model.FeatureCount)
        {
            throw new ArgumentException($"{featureNames.Count} feature names for a model of {model.FeatureCount} features", nameof(featureNames));
        }

        var graph = new GraphProto { Name = "fraud_tree_ensemble" };
        graph.Input.Add(FloatTensorInfo(InputName, model.FeatureCount));
        graph.Output.Add(FloatTensorInfo(OutputName, 1));
        graph.Node.Add(TreeEnsembleNode(model));
        graph.Initializer.Add(Scalar("slope", model.Slope));
        graph.Initializer.Add(Scalar("offset", model.Offset));
        graph.Node.Add(new NodeProto { OpType = "Mul", Name = "calibrate_scale", Input = { "margin", "slope" }, Output = { "scaled" } });
        graph.Node.Add(new NodeProto { OpType = "Add", Name = "calibrate_shift", Input = { "scaled", "offset" }, Output = { "logit" } });
        graph.Node.Add(new NodeProto { OpType = "Sigmoid", Name = "to_probability", Input = { "logit" }, Output = { OutputName } });

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Fraud.Streaming",
            ProducerVersion = typeof(OnnxTreeEnsembleWriter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
            OpsetImport =
            {
                new OperatorSetIdProto { Domain = string.Empty, Version = OnnxOpset },
                new OperatorSetIdProto { Domain = "ai.onnx.ml", Version = MlOpset },
            },
        };
        proto.MetadataProps.Add(new StringStringEntryProto { Key = "feature_names", Value = string.Join(',', featureNames) });
        if (model.Trees.Count > 0 && model.Trees.All(t => t.Cover is not null))
        {
            proto.MetadataProps.Add(new StringStringEntryProto { Key = NodeCoversKey, Value = EncodeCovers(model.Trees) });
        }
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }
        }
        return proto.ToByteArray();
    }

    private static string EncodeCovers(IReadOnlyList<RegressionTree> trees)
    {
        var values = trees.SelectMany(t => t.Cover!).ToArray();
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }
        return Convert.ToBase64String(bytes);
    }

    private static NodeProto TreeEnsembleNode(TreeEnsemble model)
    {
        var treeIds = new List<long>();
        var nodeIds = new List<long>();
        var featureIds = new List<long>();
        var modes = new List<ByteString>();
        var values = new List<float>();
        var trueIds = new List<long>();
        var falseIds = new List<long>();
        var targetTreeIds = new List<long>();
        var targetNodeIds = new List<long>();
        var targetWeights = new List<float>();
        var branch = ByteString.CopyFromUtf8("BRANCH_LEQ");
        var leaf = ByteString.CopyFromUtf8("LEAF");

        for (var t = 0; t < model.Trees.Count; t++)
        {
            var tree = model.Trees[t];
            var n = tree.InternalNodeCount;
            // Internal nodes keep their index; leaf k becomes node n + k.
            long Id(int child) => child >= 0 ? child : n + ~child;
            for (var i = 0; i < n; i++)
            {
                treeIds.Add(t);
                nodeIds.Add(i);
                featureIds.Add(tree.SplitFeature[i]);
                modes.Add(branch);
                values.Add(tree.Threshold[i]);
                trueIds.Add(Id(tree.Left[i]));
                falseIds.Add(Id(tree.Right[i]));
            }
            for (var k = 0; k < tree.LeafValues.Length; k++)
            {
                treeIds.Add(t);
                nodeIds.Add(n + k);
                featureIds.Add(0);
                modes.Add(leaf);
                values.Add(0f);
                trueIds.Add(0);
                falseIds.Add(0);
                targetTreeIds.Add(t);
                targetNodeIds.Add(n + k);
                targetWeights.Add(tree.LeafValues[k]);
            }
        }

        var node = new NodeProto
        {
            OpType = "TreeEnsembleRegressor",
            Domain = "ai.onnx.ml",
            Name = "trees",
            Input = { InputName },
            Output = { "margin" },
        };
        node.Attribute.Add(Str("aggregate_function", "SUM"));
        node.Attribute.Add(Str("post_transform", "NONE"));
        node.Attribute.Add(Int("n_targets", 1));
        node.Attribute.Add(Floats("base_values", [model.Bias]));
        node.Attribute.Add(Ints("nodes_treeids", treeIds));
        node.Attribute.Add(Ints("nodes_nodeids", nodeIds));
        node.Attribute.Add(Ints("nodes_featureids", featureIds));
        node.Attribute.Add(Strings("nodes_modes", modes));
        node.Attribute.Add(Floats("nodes_values", values));
        node.Attribute.Add(Ints("nodes_truenodeids", trueIds));
        node.Attribute.Add(Ints("nodes_falsenodeids", falseIds));
        node.Attribute.Add(Ints("target_treeids", targetTreeIds));
        node.Attribute.Add(Ints("target_nodeids", targetNodeIds));
        node.Attribute.Add(Ints("target_ids", new long[targetNodeIds.Count]));
        node.Attribute.Add(Floats("target_weights", targetWeights));
        return node;
    }

    private static ValueInfoProto FloatTensorInfo(string name, long columns) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto
                {
                    Dim =
                    {
                        new TensorShapeProto.Types.Dimension { DimParam = "N" },
                        new TensorShapeProto.Types.Dimension { DimValue = columns },
                    },
                },
            },
        },
    };

    private static TensorProto Scalar(string name, float value) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Float,
        FloatData = { value },
    };

    private static AttributeProto Str(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFrom(value, Encoding.UTF8) };

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, IEnumerable<long> values) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values } };

    private static AttributeProto Floats(string name, IEnumerable<float> values) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Floats, Floats = { values } };

    private static AttributeProto Strings(string name, IEnumerable<ByteString> values) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Strings, Strings = { values } };
}
