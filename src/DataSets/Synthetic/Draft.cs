namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>A transaction to emit at <see cref="TimeMs"/> (milliseconds after the world's start); fraud when it names a scenario.</summary>
public readonly record struct Draft(
    long TimeMs,
    int Card,
    int Merchant,
    double Amount,
    string Country,
    string Channel,
    string? Device,
    string? Ip,
    string? Scenario);
