namespace Fraud.Streaming.Producer.Synthetic;

/// <summary>The shape of the synthetic card world; the same settings and seed always give the same events.</summary>
internal sealed record SyntheticSettings
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

    /// <summary>
    /// Mean event-time gap between transactions; when set it replaces <see cref="SpanDays"/> (the speed-up sets it
    /// from the publishing rate, so event time runs a fixed multiple of wall time).
    /// </summary>
    public double? MeanGapSeconds { get; init; }
}
