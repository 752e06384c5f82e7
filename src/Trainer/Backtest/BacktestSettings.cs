using Fraud.Streaming.Gbdt;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Files;

namespace Fraud.Streaming.Trainer.Backtest;

/// <summary>What one <c>trainer backtest</c> run does.</summary>
internal sealed record BacktestSettings
{
    public string? TransactionsPath { get; init; }
    public string? LabelsPath { get; init; }
    public required string PostgresConnectionString { get; init; }
    public required string OutDirectory { get; init; }
    public FeatureSpec Spec { get; init; } = FeatureSpec.CardEntityV1;
    public GbdtOptions Gbdt { get; init; } = new() { Rounds = 100 };

    /// <summary>How each period's vocabularies are learned from its training rows.</summary>
    public Training.VocabularyOptions Vocabulary { get; init; } = new();

    /// <summary>The first retrain; null: <see cref="WarmupDays"/> after the first transaction.</summary>
    public DateTimeOffset? FirstRetrain { get; init; }
    public int WarmupDays { get; init; } = 30;
    public int EveryDays { get; init; } = 7;
    public int LabelMaturityDays { get; init; } = Training.FeatureTableBuilder.DefaultMaturityDays;

    /// <summary>The newest share of each period's training rows held out for early stopping.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Event times are judged against the wall clock at the start plus this skew (<c>Validation:MaxFutureSkew</c>).</summary>
    public TimeSpan? MaxFutureSkew { get; init; }

    public bool FromFiles => TransactionsPath is not null;

    /// <exception cref="ArgumentException">a setting is out of range; the message names the option.</exception>
    public void Validate()
    {
        if ((TransactionsPath is null) != (LabelsPath is null))
        {
            throw new ArgumentException("--transactions and --labels go together");
        }
        if (EveryDays < 1 || WarmupDays < 1 || LabelMaturityDays < 1)
        {
            throw new ArgumentException("--every-days, --warmup-days and --label-maturity-days must be at least 1");
        }
        if (ValidationFraction is <= 0 or >= 0.5)
        {
            throw new ArgumentException($"--validation-fraction must lie in (0, 0.5), not {ValidationFraction}");
        }
        TrainSettings.ValidateGbdt(Gbdt);
        var problem = TransactionsPath is null ? null : CliPaths.Input(TransactionsPath, "--transactions") ?? CliPaths.Input(LabelsPath, "--labels");
        problem ??= CliPaths.OutputDirectory(OutDirectory, "--out", BacktestReport.Files, ("--transactions", TransactionsPath), ("--labels", LabelsPath));
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }
    }
}
