using System.Globalization;

namespace Fraud.Streaming.Shared.Features.Entities;

/// <summary>
/// The entity features: for the transaction's merchant, and for its device when it has one, activity and fraud
/// reports over whole UTC days that ended at least <c>lag</c> hours before the transaction. With event time
/// <c>t</c> and lag <c>L</c>, the newest day read is <c>d = day(t - L) - 1</c> and a window of <c>W</c> days covers
/// days <c>[d-W+1, d]</c>. Transactions count on
/// their event day; a fraud report counts on the day it was received (<c>labelled_at</c>) and only when it is about a
/// transaction of the entity that happened at most the report horizon before it. docs/FEATURES.md states the exact
/// semantics, which the streaming aggregator and every offline path share.
/// </summary>
public static class EntityFeatures
{
    public const long MsPerDay = 86_400_000;

    /// <summary>
    /// Hours that must have passed since the end of the newest day a transaction's features read: the aggregator's
    /// slack to close a day (its grace period plus how late reports may come) before a scorer needs it.
    /// </summary>
    public const int DefaultLagHours = 3;

    public const long MsPerHour = 3_600_000;

    /// <summary>A report about a transaction older than this (at report time) is not attributed (card schemes allow about 120 days).</summary>
    public const int DefaultReportHorizonDays = 120;

    /// <summary>Risk = reports / (transactions + this): a handful of transactions cannot make an entity look certain.</summary>
    public const double RiskSmoothing = 5;

    /// <summary>Added to the month's daily rate in the surge feature, so a quiet entity does not look surging on one transaction.</summary>
    public const double SurgeSmoothing = 0.5;

    /// <summary>One transaction's amount counts at most this much (cents), so day totals stay far from overflow.</summary>
    public const long MaxCentsPerTransaction = 10_000_000_000;

    /// <summary>Windows of the count and amount features, in days.</summary>
    public static IReadOnlyList<int> ActivityWindows { get; } = [1, 7, 30];

    /// <summary>Windows of the report features, in days (each is also an activity window).</summary>
    public static IReadOnlyList<int> ReportWindows { get; } = [1, 7, 30];

    /// <summary>Windows of the risk features, in days (each is also an activity window).</summary>
    public static IReadOnlyList<int> RiskWindows { get; } = [7, 30];

    /// <summary>The longest window, in days.</summary>
    public const int LongestWindowDays = 30;

    /// <summary>Features per entity kind.</summary>
    public const int PerEntity = 12;

    /// <summary>Features in all: merchant, then device.</summary>
    public const int Count = 2 * PerEntity;

    /// <summary>The value of every device feature of a transaction without a device.</summary>
    public const float NoDevice = -1f;

    /// <summary>The <see cref="DateOnly.DayNumber"/> of 1970-01-01, the day the day numbers here count from.</summary>
    public static readonly int UnixEpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>The UTC day (days since 1970-01-01) of an instant in Unix milliseconds.</summary>
    public static int DayOf(long unixMs) => (int)Math.Floor(unixMs / (double)MsPerDay);

    /// <summary>An amount in integer cents, capped at <see cref="MaxCentsPerTransaction"/> (validated amounts are finite and not negative).</summary>
    public static long CentsOf(double amount) =>
        !(amount > 0) ? 0 : amount >= MaxCentsPerTransaction / 100d ? MaxCentsPerTransaction : (long)Math.Round(amount * 100d, MidpointRounding.ToEven);

    /// <summary>Whether a fraud report received at <paramref name="reportedMs"/> counts for a transaction at <paramref name="eventMs"/>.</summary>
    public static bool Attributes(long eventMs, long reportedMs, int horizonDays) =>
        reportedMs >= eventMs && reportedMs - eventMs <= horizonDays * MsPerDay;

    /// <summary>The names and definitions of the features, in vector order; <paramref name="lagHours"/> and <paramref name="horizonDays"/> are in the text.</summary>
    public static IReadOnlyList<(string Name, string Definition)> Definitions(int lagHours, int horizonDays)
    {
        var list = new List<(string, string)>(Count);
        foreach (var (kind, what) in new[] { ("merchant", "the merchant"), ("device", "the device (-1 without a device)") })
        {
            var window = string.Create(CultureInfo.InvariantCulture, $"UTC days [d-W+1, d], d = day(t-{lagHours}h)-1 for event time t");
            foreach (var w in ActivityWindows)
            {
                list.Add(Entry($"{kind}_tx_count_{w}d_log", $"log(1+transactions at {what} with event day in {window}, W={w})"));
            }
            foreach (var w in ActivityWindows)
            {
                list.Add(Entry($"{kind}_amount_sum_{w}d_log", $"log(1+sum of amounts (cents, each capped at {MaxCentsPerTransaction})/100 at {what}, event day in {window}, W={w})"));
            }
            foreach (var w in ReportWindows)
            {
                list.Add(Entry($"{kind}_fraud_reports_{w}d", $"fraud reports received (labelled_at day) in {window}, W={w}, about transactions at {what} at most {horizonDays} days older than the report"));
            }
            foreach (var w in RiskWindows)
            {
                list.Add(Entry($"{kind}_risk_{w}d", $"{kind}_fraud_reports_{w}d/({kind}_tx_count_{w}d+{RiskSmoothing.ToString(CultureInfo.InvariantCulture)})"));
            }
            list.Add(Entry($"{kind}_activity_surge", $"(transactions at {what} in the 7-day window/7)/((transactions in the 30-day window/30)+{SurgeSmoothing.ToString(CultureInfo.InvariantCulture)}): above 1 when the last week is busier than the month"));
        }
        return list;

        static (string, string) Entry(FormattableString name, FormattableString definition) =>
            (name.ToString(CultureInfo.InvariantCulture), definition.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The newest day a transaction at <paramref name="eventMs"/> reads with a lag of <paramref name="lagHours"/>.</summary>
    public static int LastDayRead(long eventMs, int lagHours) => DayOf(eventMs - (lagHours * MsPerHour)) - 1;

    /// <summary>Writes one entity's <see cref="PerEntity"/> features from its series, reading days up to <paramref name="last"/>.</summary>
    internal static void Write(EntitySeries? series, int last, Span<float> destination)
    {
        var at = 0;
        Span<EntityTotals> activity = stackalloc EntityTotals[3];
        for (var w = 0; w < 3; w++)
        {
            activity[w] = series?.Sum(last - ActivityWindows[w] + 1, last) ?? default;
        }
        for (var w = 0; w < 3; w++)
        {
            destination[at++] = DeterministicMath.Log1P(activity[w].Count);
        }
        for (var w = 0; w < 3; w++)
        {
            destination[at++] = DeterministicMath.Log1P(activity[w].AmountCents / 100d);
        }
        // The report windows are the activity windows; the risk windows its 7- and 30-day ones.
        destination[at++] = activity[0].Reports;
        destination[at++] = activity[1].Reports;
        destination[at++] = activity[2].Reports;
        destination[at++] = (float)(activity[1].Reports / (activity[1].Count + RiskSmoothing));
        destination[at++] = (float)(activity[2].Reports / (activity[2].Count + RiskSmoothing));
        destination[at] = (float)(activity[1].Count / 7d / ((activity[2].Count / 30d) + SurgeSmoothing));
    }
}
