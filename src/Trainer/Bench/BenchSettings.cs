namespace Fraud.Streaming.Trainer.Bench;

/// <summary>One <c>trainer bench</c> run: sizes, the shared tree settings, optional IEEE-CIS data and a Markdown output.</summary>
internal sealed record BenchSettings
{
    public int Rows { get; init; } = 1_000_000;
    public int Features { get; init; } = 50;
    public int Rounds { get; init; } = 100;
    public int Depth { get; init; } = 6;
    public int MaxBins { get; init; } = 255;
    public double LearningRate { get; init; } = 0.1;
    public double MinChildWeight { get; init; } = 1;
    public int Seed { get; init; } = 42;
    public int? Threads { get; init; }

    /// <summary>Synthetic fraud-world transactions for the quality comparison (0 = skip).</summary>
    public int Transactions { get; init; } = 1_000_000;
    public string? IeeeCisTransactions { get; init; }
    public string? IeeeCisIdentity { get; init; }

    /// <summary>The attributes of the IEEE-CIS file to compare with and without (<see cref="Training.AttributeSpecFile"/>); the shipped IEEE-CIS declaration when null.</summary>
    public string? AttributesPath { get; init; }
    public string? OutFile { get; init; }
    public double HoldoutFraction { get; init; } = 0.2;

    /// <exception cref="ArgumentException">a setting is out of range; the message names the flag.</exception>
    public void Validate()
    {
        Require(Rows >= 100, $"--rows must be at least 100, not {Rows}");
        Require(Features >= 1, $"--features must be at least 1, not {Features}");
        Require((long)Rows * Features <= int.MaxValue, $"--rows x --features must stay under {int.MaxValue} values");
        Require(Rounds >= 1, $"--rounds must be at least 1, not {Rounds}");
        Require(Depth is >= 1 and <= 12, $"--depth must lie in [1, 12], not {Depth}");
        Require(MaxBins is >= 2 and <= 255, $"--max-bins must lie in [2, 255], not {MaxBins}");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, $"--learning-rate must be above 0, not {LearningRate}");
        Require(double.IsFinite(MinChildWeight) && MinChildWeight >= 0, $"--min-child-weight must be ≥ 0, not {MinChildWeight}");
        Require(Transactions == 0 || Transactions >= 1000, $"--transactions must be 0 (skip) or at least 1000, not {Transactions}");
        Require(Threads is null or >= 1, $"--threads must be at least 1, not {Threads}");
        Require(IeeeCisIdentity is null || IeeeCisTransactions is not null, "--identity needs --input");
        Require(AttributesPath is null || IeeeCisTransactions is not null, "--attributes needs --input");
        var problem = IeeeCisTransactions is null ? null : Shared.Files.CliPaths.Input(IeeeCisTransactions, "--input");
        problem ??= IeeeCisIdentity is null ? null : Shared.Files.CliPaths.Input(IeeeCisIdentity, "--identity");
        problem ??= OutFile is null ? null : Shared.Files.CliPaths.Output(OutFile, "--out", ("--input", IeeeCisTransactions), ("--identity", IeeeCisIdentity));
        problem ??= AttributesPath is null ? null : Shared.Files.CliPaths.Input(AttributesPath, "--attributes");
        Require(problem is null, problem ?? string.Empty);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
