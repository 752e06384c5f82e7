namespace Fraud.Streaming.Shared.Features.Entities;

/// <summary>
/// What one entity did on one UTC day: its transactions (by event day), their amounts in integer cents, and the
/// fraud reports about its transactions received that day (by report day). Integers, so totals built in any order
/// or split (per partition, per process) add up to the same bits.
/// </summary>
public readonly record struct EntityTotals(int Count, long AmountCents, int Reports)
{
    public bool IsZero => Count == 0 && AmountCents == 0 && Reports == 0;

    public static EntityTotals operator +(EntityTotals a, EntityTotals b) =>
        new(a.Count + b.Count, a.AmountCents + b.AmountCents, a.Reports + b.Reports);

    public static EntityTotals operator -(EntityTotals a, EntityTotals b) =>
        new(a.Count - b.Count, a.AmountCents - b.AmountCents, a.Reports - b.Reports);

    /// <summary>One transaction of <paramref name="amount"/>.</summary>
    public static EntityTotals Transaction(double amount) => new(1, EntityFeatures.CentsOf(amount), 0);

    /// <summary>One fraud report.</summary>
    public static EntityTotals Report { get; } = new(0, 0, 1);
}
