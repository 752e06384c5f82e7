using System.Globalization;
using Fraud.Streaming.Shared.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// An ONNX model that maps float[N, F] features to float[N, 1] fraud probabilities. ONNX Runtime loads every model, on
/// one thread (the scorer parallelises across partitions, not inside a batch). A model whose trees this build reads
/// (<see cref="OnnxTreeEnsembleReader"/>: the models it trains) is then scored by <see cref="CompiledTrees"/>, two to
/// four times faster, once it has answered as ONNX Runtime does on probe rows that test every split
/// (<see cref="CompiledTrees.ProbeRows"/>), to within <see cref="Tolerance"/>; otherwise ONNX Runtime scores it, and
/// <see cref="Engine"/> says why. The trainer sets its thresholds on scores from this class too, so they are met by the
/// same evaluator that serves. ONNX stays the artifact: portable, and what every model is checked against.
/// Thread-safe for concurrent <see cref="Score"/> calls.
/// </summary>
public sealed class OnnxScoringModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly CompiledTrees? _compiled;
    private static readonly string[] InputNames = [OnnxTreeEnsembleWriter.InputName];
    private static readonly string[] OutputNames = [OnnxTreeEnsembleWriter.OutputName];

    /// <exception cref="OnnxRuntimeException">the bytes are not a model ONNX Runtime can load.</exception>
    /// <exception cref="InvalidOperationException">the model's input or output is not the expected shape.</exception>
    public OnnxScoringModel(byte[] onnx, int expectedFeatureCount)
        : this(onnx, expectedFeatureCount, ReadTrees(onnx, out var unread), unread)
    {
    }

    /// <summary>The model scored by ONNX Runtime alone: what compiled trees are checked against (tests, benchmarks).</summary>
    public static OnnxScoringModel RuntimeOnly(byte[] onnx, int expectedFeatureCount) =>
        new(onnx, expectedFeatureCount, trees: null, unread: "asked for alone");

    /// <param name="trees">the trees to compile, or null to serve with ONNX Runtime (<paramref name="unread"/> says why).</param>
    internal OnnxScoringModel(byte[] onnx, int expectedFeatureCount, TreeEnsemble? trees, string? unread)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(onnx, options);
        try
        {
            if (!_session.InputMetadata.TryGetValue(OnnxTreeEnsembleWriter.InputName, out var input))
            {
                throw new InvalidOperationException($"model has no input named '{OnnxTreeEnsembleWriter.InputName}'");
            }
            if (!_session.OutputMetadata.ContainsKey(OnnxTreeEnsembleWriter.OutputName))
            {
                throw new InvalidOperationException($"model has no output named '{OnnxTreeEnsembleWriter.OutputName}'");
            }
            var columns = input.Dimensions.Length == 2 ? input.Dimensions[1] : -1;
            if (columns != expectedFeatureCount)
            {
                throw new InvalidOperationException($"model takes {columns} features, the feature spec has {expectedFeatureCount}");
            }
            FeatureCount = expectedFeatureCount;
            var engine = $"ONNX Runtime ({unread})";
            _compiled = trees is null ? null : Compile(trees, out engine);
            Engine = engine;
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>How far the compiled trees' probabilities may be from ONNX Runtime's: float rounding, never a different leaf.</summary>
    public const float Tolerance = 1e-6f;

    /// <summary>Probe rows each model is checked on before its trees are compiled.</summary>
    public const int ProbeRowCount = 1024;

    /// <summary>What scores this model, and why: the compiled trees with the check they passed, or ONNX Runtime.</summary>
    public string Engine { get; }

    /// <summary>Whether <see cref="CompiledTrees"/> score this model.</summary>
    public bool IsCompiled => _compiled is not null;

    private static TreeEnsemble? ReadTrees(byte[] onnx, out string? unread)
    {
        try
        {
            unread = null;
            return OnnxTreeEnsembleReader.Read(onnx);
        }
        catch (InvalidDataException ex)
        {
            unread = $"its trees are not ones this build compiles: {ex.Message}";
            return null;
        }
    }

    /// <summary>The compiled trees, if they answer as ONNX Runtime on the probe rows; else null, with the difference found.</summary>
    private CompiledTrees? Compile(TreeEnsemble trees, out string engine)
    {
        if (trees.FeatureCount != FeatureCount)
        {
            engine = $"ONNX Runtime (its trees take {trees.FeatureCount} features, not {FeatureCount})";
            return null;
        }
        var compiled = new CompiledTrees(trees);
        var probes = CompiledTrees.ProbeRows(trees, ProbeRowCount);
        var expected = new float[ProbeRowCount];
        var actual = new float[ProbeRowCount];
        RunOnnx(probes, ProbeRowCount, expected);
        compiled.Score(probes, ProbeRowCount, actual);
        var largest = 0f;
        for (var i = 0; i < ProbeRowCount; i++)
        {
            var difference = MathF.Abs(actual[i] - expected[i]);
            largest = float.IsNaN(difference) ? float.PositiveInfinity : MathF.Max(largest, difference);
        }
        var check = string.Create(CultureInfo.InvariantCulture, $"largest difference from ONNX Runtime {largest:G3} over {ProbeRowCount} probe rows");
        if (largest > Tolerance)
        {
            engine = $"ONNX Runtime (the compiled trees failed the check: {check})";
            return null;
        }
        engine = $"compiled trees ({check})";
        return compiled;
    }

    public int FeatureCount { get; }

    /// <summary>Scores <paramref name="rows"/> rows laid out row-major in <paramref name="features"/>.</summary>
    public void Score(ReadOnlyMemory<float> features, int rows, Span<float> probabilities)
    {
        if (rows == 0)
        {
            return;
        }
        if (features.Length < rows * FeatureCount || probabilities.Length < rows)
        {
            throw new ArgumentException("buffers are smaller than the batch");
        }
        if (_compiled is not null)
        {
            _compiled.Score(features.Span, rows, probabilities);
            return;
        }
        RunOnnx(features, rows, probabilities);
    }

    private void RunOnnx(ReadOnlyMemory<float> features, int rows, Span<float> probabilities)
    {
        // The memory is only read by ONNX Runtime; the cast is how the API takes a tensor view without copying.
        var writable = System.Runtime.InteropServices.MemoryMarshal.AsMemory(features[..(rows * FeatureCount)]);
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, writable, [rows, FeatureCount]);
        using var outputs = _session.Run(_runOptions, InputNames, [input], OutputNames);
        outputs[0].GetTensorDataAsSpan<float>()[..rows].CopyTo(probabilities);
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
