namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>The shape of the synthetic card world; the same settings and seed always give the same events.</summary>
public sealed record SyntheticSettings
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public int Count { get; init; } = 10_000;
    public int Cards { get; init; } = 2_000;
    public int Merchants { get; init; } = 500;
    public int Seed { get; init; } = 42;
    public double FraudRate { get; init; } = 0.01;
    public DateTimeOffset Start { get; init; } = DefaultStart;
    public double SpanDays { get; init; } = 14;
    public ScenarioMix Mix { get; init; } = ScenarioMix.Default;

    /// <summary>How much the world looks like real traffic (<see cref="WorldRealism.Hard"/> by default).</summary>
    public WorldRealism Realism { get; init; } = WorldRealism.Hard;

    /// <summary>The names the transactions use for channels and merchant categories.</summary>
    public WorldVocabulary Vocabulary { get; init; } = WorldVocabulary.Words;

    /// <summary>The classic world (<c>--world classic</c>): its five scenarios, none of the realism; pinned by its own digest.</summary>
    public static SyntheticSettings Classic { get; } = new() { Mix = ScenarioMix.Classic, Realism = WorldRealism.None };

    /// <summary>
    /// Mean event-time gap between transactions; when set it replaces <see cref="SpanDays"/> (the speed-up sets it
    /// from the publishing rate, so event time runs a fixed multiple of wall time).
    /// </summary>
    public double? MeanGapSeconds { get; init; }

    /// <summary>Which labels the feed carries: fraud reports (and some reviews), as issuers send them, or one per transaction.</summary>
    public LabelMode Labels { get; init; } = LabelMode.FraudReports;

    /// <summary>With <see cref="LabelMode.FraudReports"/>: the share of genuine transactions an analyst reviews and confirms.</summary>
    public double ReviewRate { get; init; } = 0.01;

    /// <summary>
    /// Transaction ids start with this; null: <c>tx-{seed}-</c>. Another prefix lets a second run continue the same world
    /// (same seed: same cards and merchants, from a later <see cref="Start"/>) without reusing its ids.
    /// </summary>
    public string? IdPrefix { get; init; }

    /// <summary>
    /// Every amount is multiplied by this (1: the world as it is): traffic whose distribution shifted, e.g. to see drift
    /// detected and a retrain requested. The world itself (cards, merchants, scenarios) is unchanged.
    /// </summary>
    public double AmountScale { get; init; } = 1;

    /// <summary>Scenarios that do not happen before the given instant (a new fraud pattern that appears then).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> ScenarioFrom { get; init; } = new Dictionary<string, DateTimeOffset>();
}

/// <summary>The names a synthetic world's transactions use.</summary>
public enum WorldVocabulary
{
    /// <summary>Channels <c>online</c>, <c>pos</c>, <c>contactless</c>; categories as words (<c>grocery</c>).</summary>
    Words,

    /// <summary>Channels by their canonical names (<c>ecommerce</c>, <c>card_present</c>, <c>contactless</c>); categories as ISO 18245 MCC codes.</summary>
    Mcc,
}

/// <summary>What the label feed of the synthetic world carries.</summary>
public enum LabelMode
{
    /// <summary>Fraud reports, 1-30 days after the transaction, and review outcomes for a few genuine ones; silence for the rest.</summary>
    FraudReports,

    /// <summary>A label for every transaction: fraud reports as above, and every genuine one settled 45 days later.</summary>
    All,

    /// <summary>Like <see cref="All"/>, but never-reported fraud is labelled fraud too: the ground truth, for evaluation only.</summary>
    Truth,
}
