namespace Fraud.Streaming.Gbdt;

/// <summary>Where the trees are grown.</summary>
public enum GbdtDevice
{
    /// <summary>CUDA when a driver and a device are present, else the managed CPU backend.</summary>
    Auto,
    /// <summary>The managed multi-threaded CPU backend.</summary>
    Cpu,
    /// <summary>ILGPU on CUDA; fails with a clear message when no GPU is present.</summary>
    Cuda,
    /// <summary>ILGPU's CPU accelerator: the device code run on the CPU (slow; for equivalence tests).</summary>
    IlgpuCpu,
}

/// <summary>Hyper-parameters of the histogram GBDT. Defaults suit fraud data (imbalanced, tens of features).</summary>
public sealed record GbdtOptions
{
    public int Rounds { get; init; } = 200;
    public int MaxDepth { get; init; } = 6;
    /// <summary>Value bins per feature (at most 255); one more bin holds missing values (NaN).</summary>
    public int MaxBins { get; init; } = 255;
    public double LearningRate { get; init; } = 0.1;
    /// <summary>L2 regularisation on leaf values.</summary>
    public double Lambda { get; init; } = 1.0;
    /// <summary>Minimum hessian sum in each child of a split.</summary>
    public double MinChildWeight { get; init; } = 1.0;
    /// <summary>Minimum loss reduction for a split.</summary>
    public double MinSplitGain { get; init; }
    /// <summary>Fraction of rows sampled per round (1 = all).</summary>
    public double RowSubsample { get; init; } = 1.0;
    /// <summary>Fraction of features sampled per tree (1 = all).</summary>
    public double ColumnSubsample { get; init; } = 1.0;
    /// <summary>Weight of positive (fraud) rows, for class imbalance.</summary>
    public double ScalePosWeight { get; init; } = 1.0;
    /// <summary>Stop when the validation logloss has not improved for this many rounds; 0 = off.</summary>
    public int EarlyStoppingRounds { get; init; }
    public int Seed { get; init; } = 42;
    /// <summary>CPU threads; null = all cores. Does not change the model.</summary>
    public int? Threads { get; init; }
    public GbdtDevice Device { get; init; } = GbdtDevice.Auto;

    /// <summary>Checks every value before any data is read.</summary>
    /// <param name="optionName">what the caller calls each property (e.g. its command-line flag); the property name when null.</param>
    /// <exception cref="ArgumentException">a value is out of range; the message names it.</exception>
    public void Validate(Func<string, string>? optionName = null) => GbdtValidation.CheckOptions(this, optionName ?? (static p => p));
}

/// <summary>Rows of float features (row-major, NaN = missing) with binary labels.</summary>
public sealed class GbdtDataset(ReadOnlyMemory<float> features, int rowCount, int featureCount, ReadOnlyMemory<bool> labels)
{
    public ReadOnlyMemory<float> Features { get; } = features;
    public int RowCount { get; } = rowCount;
    public int FeatureCount { get; } = featureCount;
    public ReadOnlyMemory<bool> Labels { get; } = labels;
}

/// <summary>One finished boosting round, for progress display.</summary>
public readonly record struct GbdtRound(int Round, int TotalRounds, double TrainLogLoss, double? ValidationLogLoss, TimeSpan Elapsed);

/// <summary>
/// One tree in flat arrays, the layout of <c>Fraud.Streaming.Shared.Models.RegressionTree</c>: internal node i sends a
/// row left when <c>x[SplitFeature[i]] &lt;= Threshold[i]</c>, else right (so NaN, the missing value, always goes right,
/// as in ONNX Runtime and ML.NET); a negative child c is the leaf ~c.
/// </summary>
public sealed record GbdtTree(int[] SplitFeature, float[] Threshold, int[] Left, int[] Right, float[] LeafValues);

/// <summary>
/// A trained model: <c>p = sigmoid(BaseMargin + Σ trees)</c>. <c>BestRound</c> is the number of trees kept: with early
/// stopping, the round (1-based) with the lowest validation logloss, the model truncated to it; else every round trained.
/// </summary>
public sealed record GbdtModel(int FeatureCount, float BaseMargin, IReadOnlyList<GbdtTree> Trees, string DeviceDescription, int BestRound)
{
    /// <summary>Why the trees were grown on <see cref="DeviceDescription"/> (e.g. "auto: no CUDA device found, so the CPU").</summary>
    public string DeviceReason { get; init; } = string.Empty;
}

/// <summary>The entry point: bins the data, picks the backend, grows the trees.</summary>
public static class GbdtTrainer
{
    /// <param name="validation">Time-later rows for early stopping and the progress metric; null = none.</param>
    /// <exception cref="ArgumentException">bad options or data (the message names the problem).</exception>
    /// <exception cref="NotSupportedException"><see cref="GbdtDevice.Cuda"/> asked for and no CUDA device present.</exception>
    public static GbdtModel Train(GbdtDataset train, GbdtDataset? validation, GbdtOptions options,
        IProgress<GbdtRound>? progress = null, CancellationToken cancellationToken = default)
        => GbdtBooster.Train(train, validation, options, progress, cancellationToken);

    /// <summary>The model's probabilities for every row, computed the way ONNX Runtime does (float32 sum in tree order).</summary>
    public static float[] PredictProbability(GbdtModel model, GbdtDataset rows)
        => GbdtPredictor.PredictProbability(model, rows);
}
