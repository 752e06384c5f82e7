using Fraud.Streaming.Shared.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Fraud.Streaming.Shared.Models;

/// <summary>
/// An ONNX model that maps float[N, F] features to float[N, 1] fraud probabilities, run by ONNX Runtime
/// on one thread (the scorer parallelises across partitions, not inside a batch). Thread-safe for
/// concurrent <see cref="Score"/> calls, as ONNX Runtime sessions are.
/// </summary>
public sealed class OnnxScoringModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private static readonly string[] InputNames = [OnnxTreeEnsembleWriter.InputName];
    private static readonly string[] OutputNames = [OnnxTreeEnsembleWriter.OutputName];

    /// <exception cref="OnnxRuntimeException">the bytes are not a model ONNX Runtime can load.</exception>
    /// <exception cref="InvalidOperationException">the model's input or output is not the expected shape.</exception>
    public OnnxScoringModel(byte[] onnx, int expectedFeatureCount)
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
        }
        catch
        {
            _session.Dispose();
            throw;
        }
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
