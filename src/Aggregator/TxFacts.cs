namespace Fraud.Streaming.Aggregator;

/// <summary>What the aggregator remembers of a transaction until its fraud reports can no longer be attributed.</summary>
internal struct TxFacts
{
    public ulong Merchant;
    public ulong Device;
    public bool HasDevice;
    public long EventMs;

    /// <summary>When its earliest fraud report was received; <see cref="long.MaxValue"/> while unreported.</summary>
    public long ReportMs;
}
