namespace Fraud.Streaming.DataSets.Replay;

/// <summary>What to replay and how to treat bad rows.</summary>
public sealed record ReplaySettings
{
    public static readonly DateTimeOffset DefaultStart = new(2017, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public required ReplayFormat Format { get; init; }
    public required string Input { get; init; }

    /// <summary>IEEE-CIS <c>train_identity.csv</c>, joined on <c>TransactionID</c>.</summary>
    public string? Identity { get; init; }

    /// <summary>Event time of dataset time zero (IEEE-CIS <c>TransactionDT</c> 0, PaySim step 0).</summary>
    public DateTimeOffset Start { get; init; } = DefaultStart;

    /// <summary>Stop at the first malformed row instead of skipping it.</summary>
    public bool FailOnError { get; init; }

    /// <summary>Stop after this many replayed transactions (0 = the whole file).</summary>
    public long Limit { get; init; }

    /// <summary><see cref="ReplayFormat.Csv"/>: which column or constant gives each contract field.</summary>
    public CsvColumnMap? CsvMap { get; init; }

    /// <summary><see cref="ReplayFormat.Csv"/>: how the event time column reads.</summary>
    public CsvTimeFormat? CsvTime { get; init; }
    /// <summary>How far an event or label time may lie ahead of now (<c>Validation:MaxFutureSkew</c>), as consumers judge it.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = Shared.Contracts.ContractLimits.DefaultMaxFutureSkew;
}
