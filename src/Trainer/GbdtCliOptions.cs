using System.CommandLine;
using Fraud.Streaming.Gbdt;

namespace Fraud.Streaming.Trainer;

/// <summary>
/// The GBDT hyper-parameters as command-line options, shared by <c>train</c> and <c>bench</c>; defaults are
/// <see cref="GbdtOptions"/>'s except 100 rounds.
/// </summary>
internal sealed class GbdtCliOptions
{
    private static readonly GbdtOptions Defaults = new();

    public Option<int> Rounds { get; } = new("--rounds") { Description = "boosting rounds", DefaultValueFactory = _ => 100 };
    public Option<int> MaxDepth { get; } = new("--max-depth") { Description = "depth of each tree (depth-wise growth)", DefaultValueFactory = _ => Defaults.MaxDepth };
    public Option<int> MaxBins { get; } = new("--max-bins") { Description = "histogram bins per feature, at most 255 (plus one for missing values)", DefaultValueFactory = _ => Defaults.MaxBins };
    public Option<double> LearningRate { get; } = new("--learning-rate") { Description = "learning rate (shrinkage)", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<double> Lambda { get; } = new("--lambda") { Description = "L2 regularisation of leaf values", DefaultValueFactory = _ => Defaults.Lambda };
    public Option<double> MinChildWeight { get; } = new("--min-child-weight") { Description = "minimum hessian sum in a child", DefaultValueFactory = _ => Defaults.MinChildWeight };
    public Option<double> MinSplitGain { get; } = new("--min-split-gain") { Description = "minimum loss reduction for a split", DefaultValueFactory = _ => Defaults.MinSplitGain };
    public Option<double> Subsample { get; } = new("--subsample") { Description = "fraction of rows sampled per round", DefaultValueFactory = _ => Defaults.RowSubsample };
    public Option<double> Colsample { get; } = new("--colsample") { Description = "fraction of features sampled per tree", DefaultValueFactory = _ => Defaults.ColumnSubsample };
    public Option<double> ScalePosWeight { get; } = new("--scale-pos-weight") { Description = "weight of fraud rows (class imbalance); above 1 skews probabilities upwards", DefaultValueFactory = _ => Defaults.ScalePosWeight };
    public Option<int> EarlyStoppingRounds { get; } = new("--early-stopping-rounds") { Description = "stop when validation logloss has not improved for this many rounds (0 = off)", DefaultValueFactory = _ => Defaults.EarlyStoppingRounds };
    public Option<int> Seed { get; } = new("--seed") { Description = "random seed (training is deterministic for a seed)", DefaultValueFactory = _ => Defaults.Seed };
    public Option<int?> Threads { get; } = new("--threads") { Description = "CPU threads (default: all cores); does not change the model" };

    /// <summary>Options that only our GBDT understands.</summary>
    public Option[] GbdtOnly => [MaxDepth, Lambda, MinChildWeight, MinSplitGain, Subsample, Colsample, ScalePosWeight, EarlyStoppingRounds];

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Rounds, MaxDepth, MaxBins, LearningRate, Lambda, MinChildWeight, MinSplitGain, Subsample, Colsample,
                     ScalePosWeight, EarlyStoppingRounds, Seed, Threads })
        {
            command.Options.Add(option);
        }
    }

    public GbdtOptions Read(ParseResult parse) => new()
    {
        Rounds = parse.GetValue(Rounds),
        MaxDepth = parse.GetValue(MaxDepth),
        MaxBins = parse.GetValue(MaxBins),
        LearningRate = parse.GetValue(LearningRate),
        Lambda = parse.GetValue(Lambda),
        MinChildWeight = parse.GetValue(MinChildWeight),
        MinSplitGain = parse.GetValue(MinSplitGain),
        RowSubsample = parse.GetValue(Subsample),
        ColumnSubsample = parse.GetValue(Colsample),
        ScalePosWeight = parse.GetValue(ScalePosWeight),
        EarlyStoppingRounds = parse.GetValue(EarlyStoppingRounds),
        Seed = parse.GetValue(Seed),
        Threads = parse.GetValue(Threads),
    };
}
