using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
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
    public GbdtParameters Gbdt { get; init; } = new();
    public double HoldoutFraction { get; init; } = 0.2;
    public double ReviewFpr { get; init; } = 0.02;
    public double DeclineFpr { get; init; } = 0.002;
    public double PromoteMargin { get; init; }
    public bool Register { get; init; } = true;
    public bool Announce { get; init; } = true;
    public TimeSpan AnnounceTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The card idle time of the feature spec (<see cref="FeatureSpec.WithCardIdleDays"/>).</summary>
    public int CardIdleDays { get; init; } = FeatureSpec.DefaultCardIdleDays;

    public bool FromFiles => TransactionsPath is not null;

    /// <exception cref="ArgumentException">a setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if ((TransactionsPath is null) != (LabelsPath is null))
        {
            throw new ArgumentException("--transactions and --labels go together");
        }
        if (CardIdleDays is < 1 or > 3_650)
        {
            throw new ArgumentException($"--card-idle-days must be between 1 and 3650, not {CardIdleDays}");
        }
        if (HoldoutFraction is <= 0 or >= 1)
        {
            throw new ArgumentException($"--holdout-fraction must lie in (0, 1), not {HoldoutFraction}");
        }
        if (ReviewFpr is <= 0 or >= 1 || DeclineFpr is <= 0 or >= 1)
        {
            throw new ArgumentException("--review-fpr and --decline-fpr must lie in (0, 1)");
        }
        if (DeclineFpr > ReviewFpr)
        {
            throw new ArgumentException($"--decline-fpr ({DeclineFpr}) must not exceed --review-fpr ({ReviewFpr}): declines are the stricter cut");
        }
        if (Gbdt.Rounds < 1 || Gbdt.Leaves < 2 || Gbdt.MinLeafRows < 1 || Gbdt.LearningRate <= 0)
        {
            throw new ArgumentException("--rounds ≥ 1, --leaves ≥ 2, --min-leaf ≥ 1 and --learning-rate > 0 are required");
        }
        if (string.IsNullOrWhiteSpace(ModelName) || ModelName.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"--model-name '{ModelName}' must be non-empty and contain no '/'");
        }
    }
}
