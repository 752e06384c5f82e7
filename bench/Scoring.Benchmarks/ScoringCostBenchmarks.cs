using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Fraud.Streaming.Scorer;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scoring.Benchmarks;

/// <summary>
/// Per transaction, in batches of 512 as the scorer runs them: the batch's inference alone (the compiled trees that serve,
/// and ONNX Runtime on its own), the scorer's whole
/// <c>Score</c> (entity features, inference, decisions, verdicts) with reasons for none, the flagged or all verdicts,
/// TreeSHAP of one row on its own, and drift counting of a scored batch. Features are computed once in setup.
/// </summary>
[MemoryDiagnoser]
public class ScoringCostBenchmarks
{
    private const int Rows = 512;
    private LoadedModel _model = null!;
    private BatchScorer _batch = null!;
    private DriftMonitor _drift = null!;
    private float[] _features = [];
    private readonly float[] _scores = new float[Rows];
    private ShapWorkspace _workspace = null!;
    private TreeShap _recursion = null!;
    private OnnxScoringModel _runtime = null!;

    [GlobalSetup]
    public void Setup()
    {
        var inputs = ScoringBenchInputs.Load();
        _model = inputs.Model;
        _batch = inputs.NewBatch(Rows);
        // The newest transactions of the file, after the older ones built up their cards' state.
        var all = inputs.ByEventTime().Select(x => x.Transaction).ToList();
        foreach (var t in all.Take(all.Count - Rows))
        {
            _batch.Add(t, DateTimeOffset.UtcNow);
            if (_batch.IsFull)
            {
                _batch.Score(_model, DateTimeOffset.UtcNow);
                _batch.Clear();
            }
        }
        _batch.Score(_model, DateTimeOffset.UtcNow);
        _batch.Clear();
        foreach (var t in all.TakeLast(Rows))
        {
            _batch.Add(t, DateTimeOffset.UtcNow);
        }
        var verdicts = _batch.Score(_model, DateTimeOffset.UtcNow);
        var flagged = 0;
        foreach (var v in verdicts)
        {
            flagged += v.Decision == Decision.Approve ? 0 : 1;
        }
        Console.WriteLine($"// model {_model.Version}: {_model.Explainer.MaxDepth} deep; {flagged} of {Rows} rows flagged; drift reference: {_model.Drift is not null}");
        _features = new float[Rows * _batch.FeatureCount];
        for (var i = 0; i < Rows; i++)
        {
            _batch.FeaturesAt(i).CopyTo(_features.AsSpan(i * _batch.FeatureCount));
        }
        _workspace = _model.Explainer.CreateWorkspace();
        // The same trees without leaf tables: what the recursion alone costs, measured beside the tabled walk.
        var onnx = File.ReadAllBytes(Path.Combine(inputs.ModelDirectory, "model.onnx"));
        var trees = Fraud.Streaming.Shared.Onnx.OnnxTreeEnsembleReader.Read(onnx);
        _recursion = new TreeShap(trees, tableBudget: 0);
        _runtime = OnnxScoringModel.RuntimeOnly(onnx, _batch.FeatureCount);
        _model.Onnx.Score(_features, Rows, _scores);
        var runtime = new float[Rows];
        _runtime.Score(_features, Rows, runtime);
        var most = 0f;
        for (var i = 0; i < Rows; i++)
        {
            most = Math.Max(most, Math.Abs(runtime[i] - _scores[i]));
        }
        Console.WriteLine($"// {trees.Trees.Count} trees scored by {_model.Onnx.Engine}; on these rows {most:G3}");
        Console.WriteLine($"// TreeSHAP: {_model.Explainer.TabledTrees} trees by leaf tables");
        _drift = new DriftMonitor(new DriftOptions(), "bench");
    }

    /// <summary>The batch's inference as the scorer runs it: the compiled trees (when the model passed the check).</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public float Inference()
    {
        _model.Onnx.Score(_features, Rows, _scores);
        return _scores[0];
    }

    /// <summary>The same inference by ONNX Runtime alone, what the compiled trees are checked against.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public float Inference_onnx_runtime()
    {
        _runtime.Score(_features, Rows, _scores);
        return _scores[0];
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public int Score_reasons_none() => Score(ReasonScope.None);

    [Benchmark(OperationsPerInvoke = Rows)]
    public int Score_reasons_flagged() => Score(ReasonScope.Flagged);

    [Benchmark(OperationsPerInvoke = Rows)]
    public int Score_reasons_all() => Score(ReasonScope.All);

    [Benchmark(OperationsPerInvoke = Rows)]
    public double TreeShap_one_row() => Explain(_model.Explainer);

    [Benchmark(OperationsPerInvoke = Rows)]
    public double TreeShap_one_row_recursion() => Explain(_recursion);

    private double Explain(TreeShap explainer)
    {
        var sum = 0d;
        for (var i = 0; i < Rows; i++)
        {
            explainer.Explain(_features.AsSpan(i * _batch.FeatureCount, _batch.FeatureCount), _workspace);
            sum += _workspace.Contributions[0];
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public int Drift_counting()
    {
        _drift.Observe(_model, _batch, Stopwatch.GetTimestamp());
        return _batch.Count;
    }

    private int Score(ReasonScope scope)
    {
        _batch.ReasonsFor = scope;
        return _batch.Score(_model, DateTimeOffset.UtcNow).Length;
    }
}
