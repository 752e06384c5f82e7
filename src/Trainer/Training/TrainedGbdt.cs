using System.Globalization;
using Fraud.Streaming.Gbdt;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// Our histogram GBDT (<see cref="GbdtTrainer"/>) behind <see cref="ITrainedModel"/>: trains on feature tables and
/// converts its trees to a <see cref="TreeEnsemble"/> for the ONNX writer.
/// </summary>
internal sealed class TrainedGbdt : ITrainedModel
{
    public const string AlgorithmName = "gbdt";

    /// <param name="train">the training rows, counted through the trees as their covers (for reason codes).</param>
    private TrainedGbdt(GbdtModel model, FeatureTable train)
    {
        Model = model;
        Ensemble = TreeCovers.Count(ToEnsemble(model), train.Features);
    }

    public GbdtModel Model { get; }

    public TreeEnsemble Ensemble { get; }

    public string Algorithm => AlgorithmName;

    public string Device => Model.DeviceDescription;

    public string DeviceReason => Model.DeviceReason;

    /// <summary>Both sides sum float32 leaves in tree order and apply the same sigmoid: they agree to rounding.</summary>
    public double ExportTolerance => 1e-5;

    /// <param name="validation">Newer rows for early stopping and the progress metric; the kept trees end at its best round.</param>
    /// <exception cref="ArgumentException">bad options or data (from the library, naming the problem).</exception>
    /// <exception cref="NotSupportedException">CUDA asked for and not present.</exception>
    public static TrainedGbdt Train(FeatureTable train, FeatureTable? validation, GbdtOptions options, IProgress<GbdtRound>? progress = null,
        CancellationToken cancellationToken = default) =>
        new(GbdtTrainer.Train(ToDataset(train), validation is null ? null : ToDataset(validation), options, progress, cancellationToken), train);

    public float[] PredictReference(FeatureTable rows) => GbdtTrainer.PredictProbability(Model, ToDataset(rows));

    public static GbdtDataset ToDataset(FeatureTable table) => new(table.Features, table.RowCount, table.FeatureCount, table.Labels);

    /// <summary>Same tree layout on both sides; <c>p = sigmoid(BaseMargin + Σ trees)</c> is the ensemble with slope 1 and offset 0.</summary>
    /// <exception cref="InvalidOperationException">a tree is malformed.</exception>
    public static TreeEnsemble ToEnsemble(GbdtModel model)
    {
        var trees = model.Trees
            .Select(t => new RegressionTree(t.SplitFeature, t.Threshold, t.Left, t.Right, t.LeafValues))
            .ToList();
        var ensemble = new TreeEnsemble(model.FeatureCount, model.BaseMargin, trees, Slope: 1f, Offset: 0f);
        ensemble.Validate();
        return ensemble;
    }

    /// <summary>The options as recorded in the manifest and hashed into the content hash: device and threads do not change the model.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Describe(GbdtOptions o)
    {
        var inv = CultureInfo.InvariantCulture;
        yield return new("rounds", o.Rounds.ToString(inv));
        yield return new("max_depth", o.MaxDepth.ToString(inv));
        yield return new("max_bins", o.MaxBins.ToString(inv));
        yield return new("learning_rate", o.LearningRate.ToString("R", inv));
        yield return new("lambda", o.Lambda.ToString("R", inv));
        yield return new("min_child_weight", o.MinChildWeight.ToString("R", inv));
        yield return new("min_split_gain", o.MinSplitGain.ToString("R", inv));
        yield return new("subsample", o.RowSubsample.ToString("R", inv));
        yield return new("colsample", o.ColumnSubsample.ToString("R", inv));
        yield return new("scale_pos_weight", o.ScalePosWeight.ToString("R", inv));
        yield return new("early_stopping_rounds", o.EarlyStoppingRounds.ToString(inv));
        yield return new("seed", o.Seed.ToString(inv));
    }
}
