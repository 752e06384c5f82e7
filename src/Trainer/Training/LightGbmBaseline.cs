using Fraud.Streaming.Shared.Models;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// The CPU baseline: ML.NET's LightGBM binary classifier on the numeric feature vector, converted to our
/// <see cref="TreeEnsemble"/> for ONNX export.
/// </summary>
internal sealed class LightGbmBaseline : ITrainedModel
{
    public const string AlgorithmName = "lightgbm-mlnet";

    private readonly MLContext _ml;
    private readonly BinaryPredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> _model;

    private LightGbmBaseline(MLContext ml, BinaryPredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> model,
        TreeEnsemble ensemble)
    {
        _ml = ml;
        _model = model;
        Ensemble = ensemble;
    }

    public TreeEnsemble Ensemble { get; }

    public string Algorithm => AlgorithmName;

    /// <summary>LightGBM here always runs on the CPU.</summary>
    public string Device => "cpu";

    public string DeviceReason => "ML.NET LightGBM runs on the CPU only";

    /// <summary>ML.NET applies Platt calibration in double precision; ONNX Runtime in float32.</summary>
    public double ExportTolerance => 1e-4;

    public float[] PredictReference(FeatureTable rows) => PredictWithMlNet(rows);

    /// <exception cref="InvalidOperationException">the training rows cannot train a classifier, or the model cannot be converted.</exception>
    public static LightGbmBaseline Train(FeatureTable train, LightGbmParameters parameters)
    {
        var fraud = train.FraudCount;
        if (fraud == 0 || fraud == train.RowCount)
        {
            throw new InvalidOperationException($"the training rows need both classes: {train.RowCount} rows, {fraud} fraud");
        }
        var ml = new MLContext(parameters.Seed);
        var options = new LightGbmBinaryTrainer.Options
        {
            LabelColumnName = nameof(FeatureRow.Label),
            FeatureColumnName = nameof(FeatureRow.Features),
            NumberOfIterations = parameters.Rounds,
            NumberOfLeaves = parameters.Leaves,
            MinimumExampleCountPerLeaf = parameters.MinLeafRows,
            LearningRate = parameters.LearningRate,
            Seed = parameters.Seed,
            Deterministic = true,
            UseCategoricalSplit = false,
            NumberOfThreads = parameters.Threads,
            MaximumBinCountPerFeature = parameters.MaxBins,
            Silent = true,
            Verbose = false,
        };
        if (parameters.MaxDepth is not null || parameters.MinChildWeight is not null || parameters.L2 is not null)
        {
            var booster = new GradientBooster.Options();
            if (parameters.MaxDepth is { } depth)
            {
                booster.MaximumTreeDepth = depth;
            }
            if (parameters.MinChildWeight is { } weight)
            {
                booster.MinimumChildWeight = weight;
            }
            if (parameters.L2 is { } l2)
            {
                booster.L2Regularization = l2;
            }
            options.Booster = booster;
        }
        var model = ml.BinaryClassification.Trainers.LightGbm(options).Fit(ToDataView(ml, train));
        // Covers from the training rows, for the reason codes (ML.NET does not expose LightGBM's own counts).
        return new LightGbmBaseline(ml, model, TreeCovers.Count(ToEnsemble(model.Model, train.FeatureCount), train.Features));
    }

    /// <summary>ML.NET's own probabilities for the rows, the reference the exported model must reproduce.</summary>
    public float[] PredictWithMlNet(FeatureTable rows)
    {
        var scored = _model.Transform(ToDataView(_ml, rows));
        var probabilities = new float[rows.RowCount];
        var i = 0;
        foreach (var p in _ml.Data.CreateEnumerable<ScoredRow>(scored, reuseRowObject: true))
        {
            probabilities[i++] = p.Probability;
        }
        return probabilities;
    }

    /// <summary>
    /// Converts LightGBM's trees and Platt calibration. ML.NET computes <c>p = 1 / (1 + exp(A·s + B))</c> with
    /// A = calibrator slope and B = offset (Calibrator.cs, <c>PlattCalibrator.PredictProbability</c>), while
    /// <see cref="TreeEnsemble"/> computes <c>sigmoid(Slope·margin + Offset)</c> = <c>1 / (1 + exp(-Slope·margin - Offset))</c>,
    /// so both signs flip.
    /// </summary>
    internal static TreeEnsemble ToEnsemble(CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator> model, int featureCount)
    {
        var ensemble = model.SubModel.TrainedTreeEnsemble;
        var trees = new List<Shared.Models.RegressionTree>(ensemble.Trees.Count);
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            var weight = ensemble.TreeWeights[t];
            var nodes = tree.NumberOfNodes;
            for (var n = 0; n < nodes; n++)
            {
                if (tree.CategoricalSplitFlags[n])
                {
                    throw new InvalidOperationException($"tree {t} node {n} is a categorical split; the exporter handles numeric splits only");
                }
            }
            var leaves = new float[tree.NumberOfLeaves];
            for (var l = 0; l < leaves.Length; l++)
            {
                leaves[l] = (float)(tree.LeafValues[l] * weight);
            }
            trees.Add(new Shared.Models.RegressionTree(
                [.. tree.NumericalSplitFeatureIndexes],
                [.. tree.NumericalSplitThresholds],
                [.. tree.LeftChild],
                [.. tree.RightChild],
                leaves));
        }
        var converted = new TreeEnsemble(featureCount, (float)ensemble.Bias, trees,
            Slope: (float)-model.Calibrator.Slope, Offset: (float)-model.Calibrator.Offset);
        converted.Validate();
        return converted;
    }

    private static IDataView ToDataView(MLContext ml, FeatureTable table)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, table.FeatureCount);
        return ml.Data.LoadFromEnumerable(Rows(table), schema);
    }

    private static IEnumerable<FeatureRow> Rows(FeatureTable table)
    {
        for (var i = 0; i < table.RowCount; i++)
        {
            yield return new FeatureRow { Features = table.Row(i).ToArray(), Label = table.Labels[i] };
        }
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    private sealed class ScoredRow
    {
        public float Probability { get; set; }
    }
}
