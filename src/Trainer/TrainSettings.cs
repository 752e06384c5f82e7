using Fraud.Streaming.Gbdt;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;
using Fraud.Streaming.Shared.Files;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Trust;
using Fraud.Streaming.Trainer.Evaluation;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer;

/// <summary>Everything one <c>train</c> run needs, resolved from the command line and configuration.</summary>
internal sealed record TrainSettings
{
    public required string PostgresConnectionString { get; init; }
    public string? TransactionsPath { get; init; }
    public string? LabelsPath { get; init; }
    public required string OutDirectory { get; init; }
    public required ModelStoreOptions Store { get; init; }
    public required KafkaOptions Kafka { get; init; }
    public string ModelName { get; init; } = "fraud-gbdt";
    public TrainAlgorithm Algorithm { get; init; } = TrainAlgorithm.Gbdt;

    /// <summary>Where our GBDT grows its trees (<see cref="GbdtOptions.Device"/> is ignored; this wins).</summary>
    public GbdtDevice Device { get; init; } = GbdtDevice.Auto;
    public GbdtOptions Gbdt { get; init; } = new() { Rounds = 100 };
    public LightGbmParameters LightGbm { get; init; } = new();
    public double HoldoutFraction { get; init; } = 0.2;
    public double ValidationFraction { get; init; } = 0.1;
    public ThresholdMode ThresholdMode { get; init; } = ThresholdMode.Cost;
    public DecisionCosts Costs { get; init; } = new();
    public double ReviewFpr { get; init; } = 0.02;
    public double DeclineFpr { get; init; } = 0.002;
    public double PromoteMargin { get; init; }
    public bool Register { get; init; } = true;
    public bool Announce { get; init; } = true;
    public TimeSpan AnnounceTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The feature spec, as configured (<see cref="FeatureSpec.Configure(string, int, int, int)"/>); the trained model adds its vocabularies and attributes.</summary>
    public FeatureSpec Spec { get; init; } = FeatureSpec.CardEntityV1;

    /// <summary>A JSON file declaring the attributes passed through as features (<see cref="AttributeSpecFile"/>); none when null.</summary>
    public string? AttributesPath { get; init; }

    /// <summary>How the vocabularies of the categorical inputs are learned.</summary>
    public VocabularyOptions Vocabulary { get; init; } = new();

    /// <summary>What the encoding reads: the categorical fields and the attributes <see cref="AttributesPath"/> declares.</summary>
    /// <exception cref="InvalidDataException">the attributes file is unreadable or not a valid declaration.</exception>
    public EncodingLayout ReadLayout() => AttributesPath is { } path ? new EncodingLayout(AttributeSpecFile.Read(path)) : EncodingLayout.FieldsOnly;

    /// <summary>Train as of this instant; null: just after the newest transaction of the history.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Days without a fraud report after which a transaction counts as genuine.</summary>
    public int LabelMaturityDays { get; init; } = FeatureTableBuilder.DefaultMaturityDays;

    /// <summary>
    /// A scheduled run (<c>--schedule-hours</c>): train when a retrain request is open, or when the champion is at least
    /// this old (or there is none); otherwise say why not and stop. Null: always train.
    /// </summary>
    public double? ScheduleHours { get; init; }

    /// <summary>A registered version that is not promoted becomes the challenger, scored in shadow beside the champion.</summary>
    public bool Challenge { get; init; } = true;

    /// <summary>The key announcements are signed with (<c>Signing:*</c>).</summary>
    public SigningOptions Signing { get; init; } = new();

    /// <summary>How far a history time may lie ahead of now (<c>Validation:MaxFutureSkew</c>).</summary>
    public TimeSpan MaxFutureSkew { get; init; } = ContractLimits.DefaultMaxFutureSkew;

    public bool FromFiles => TransactionsPath is not null;

    /// <summary>The GBDT options the library gets: the device from <c>--device</c>.</summary>
    public GbdtOptions GbdtWithDevice => Gbdt with { Device = Device };

    /// <summary>The files <c>train --out</c> writes.</summary>
    public static readonly string[] OutFiles =
        [ModelPackage.OnnxFileName, ModelPackage.ManifestFileName, "report.md", "roc.png", "pr.png", "calibration.png"];

    /// <summary>Checks every option and path before any work: nothing is read, trained or registered with a bad one.</summary>
    /// <exception cref="ArgumentException">a setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if ((TransactionsPath is null) != (LabelsPath is null))
        {
            throw new ArgumentException("--transactions and --labels go together");
        }
        if (!(AnnounceTimeout > TimeSpan.Zero && AnnounceTimeout <= TimeSpan.FromMinutes(10)))
        {
            throw new ArgumentException($"--announce-timeout must lie in (0, 600] seconds, not {AnnounceTimeout.TotalSeconds}");
        }
        if (!(PromoteMargin is >= -1 and <= 1))
        {
            throw new ArgumentException($"--promote-margin must lie in [-1, 1], not {PromoteMargin}");
        }
        if (Register)
        {
            try
            {
                Store.Validate();
            }
            catch (InvalidOperationException ex)
            {
                throw new ArgumentException(ex.Message, ex);
            }
        }
        if (LabelMaturityDays is < 1 or > 3_650)
        {
            throw new ArgumentException($"--label-maturity-days must be between 1 and 3650, not {LabelMaturityDays}");
        }
        if (HoldoutFraction is <= 0 or >= 1)
        {
            throw new ArgumentException($"--holdout-fraction must lie in (0, 1), not {HoldoutFraction}");
        }
        if (ValidationFraction is <= 0 or >= 1)
        {
            throw new ArgumentException($"--validation-fraction must lie in (0, 1), not {ValidationFraction}");
        }
        if (HoldoutFraction + ValidationFraction > 0.8)
        {
            throw new ArgumentException(
                $"--holdout-fraction ({HoldoutFraction}) plus --validation-fraction ({ValidationFraction}) must leave at least 20% of the rows to train on");
        }
        if (ReviewFpr is <= 0 or >= 1 || DeclineFpr is <= 0 or >= 1)
        {
            throw new ArgumentException("--review-fpr and --decline-fpr must lie in (0, 1)");
        }
        if (DeclineFpr > ReviewFpr)
        {
            throw new ArgumentException($"--decline-fpr ({DeclineFpr}) must not exceed --review-fpr ({ReviewFpr}): declines are the stricter cut");
        }
        Costs.Validate();
        Vocabulary.Validate();
        if (AttributesPath is { } attributes && !File.Exists(attributes))
        {
            throw new ArgumentException($"--attributes {attributes} does not exist");
        }
        if (Algorithm == TrainAlgorithm.LightGbm)
        {
            var l = LightGbm;
            if (l.Rounds < 1 || l.Leaves < 2 || l.MinLeafRows < 1 || !(l.LearningRate > 0) || l.MaxBins is < 2 or > 255)
            {
                throw new ArgumentException("--rounds ≥ 1, --leaves ≥ 2, --min-leaf ≥ 1, --learning-rate > 0 and --max-bins in [2, 255] are required");
            }
            if (Device == GbdtDevice.Cuda)
            {
                throw new ArgumentException("--device cuda needs --algo gbdt: the ML.NET LightGBM baseline runs on the CPU only");
            }
        }
        else
        {
            ValidateGbdt(Gbdt);
        }
        if (ScheduleHours is { } hours && (!(hours > 0) || !Register))
        {
            throw new ArgumentException("--schedule-hours must be positive and needs the registry (no --no-register)");
        }
        if (!ManifestValidator.IsName(ModelName))
        {
            throw new ArgumentException($"--model-name '{ModelName}' may hold only letters, digits, '.', '_' and '-'");
        }
        var problem = TransactionsPath is null ? null : CliPaths.Input(TransactionsPath, "--transactions") ?? CliPaths.Input(LabelsPath, "--labels");
        problem ??= CliPaths.OutputDirectory(OutDirectory, "--out", OutFiles, ("--transactions", TransactionsPath), ("--labels", LabelsPath));
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }
    }

    /// <summary>Checks the GBDT options in command-line terms, before any data is read.</summary>
    /// <exception cref="ArgumentException">an option is out of range; the message names the flag.</exception>
    internal static void ValidateGbdt(GbdtOptions o) => o.Validate(property => property switch
    {
        nameof(GbdtOptions.MaxDepth) => "--max-depth",
        nameof(GbdtOptions.MaxBins) => "--max-bins",
        nameof(GbdtOptions.LearningRate) => "--learning-rate",
        nameof(GbdtOptions.MinChildWeight) => "--min-child-weight",
        nameof(GbdtOptions.MinSplitGain) => "--min-split-gain",
        nameof(GbdtOptions.RowSubsample) => "--subsample",
        nameof(GbdtOptions.ColumnSubsample) => "--colsample",
        nameof(GbdtOptions.ScalePosWeight) => "--scale-pos-weight",
        nameof(GbdtOptions.EarlyStoppingRounds) => "--early-stopping-rounds",
        _ => "--" + property.ToLowerInvariant(), // rounds, lambda, threads, device
    });
}
