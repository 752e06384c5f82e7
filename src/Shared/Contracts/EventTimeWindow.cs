using System.Globalization;

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// The instants a contract time may take: from <see cref="ContractLimits.TimeFloor"/> to <see cref="Latest"/> (the
/// reference clock plus the allowed skew). Computed once per message or per batch; checking allocates nothing.
/// </summary>
/// <remarks>
/// The reference is the Kafka timestamp of the message where there is one, so replaying a partition (state restore)
/// decides exactly as the first read did, whatever the wall clock says by then.
/// </remarks>
public readonly record struct EventTimeWindow(DateTimeOffset Floor, DateTimeOffset Latest)
{
    /// <summary>The window for a reference clock reading <paramref name="reference"/> and a skew of <paramref name="maxFutureSkew"/>.</summary>
    public static EventTimeWindow At(DateTimeOffset reference, TimeSpan maxFutureSkew)
    {
        var latestTicks = Math.Min(DateTimeOffset.MaxValue.UtcTicks, reference.UtcTicks + Math.Max(0, maxFutureSkew.Ticks));
        return new EventTimeWindow(ContractLimits.TimeFloor, new DateTimeOffset(latestTicks, TimeSpan.Zero));
    }

    /// <summary>The window against the wall clock now, for offline paths (files, history) that have no message clock.</summary>
    public static EventTimeWindow Now(TimeSpan maxFutureSkew) => At(DateTimeOffset.UtcNow, maxFutureSkew);

    /// <summary>A window that accepts every time from the floor on (for data whose times were checked when it entered).</summary>
    public static EventTimeWindow FloorOnly => new(ContractLimits.TimeFloor, DateTimeOffset.MaxValue);

    /// <summary>Whether <paramref name="value"/> lies inside the window.</summary>
    public bool Contains(DateTimeOffset value) => value.UtcTicks >= Floor.UtcTicks && value.UtcTicks <= Latest.UtcTicks;

    /// <summary>Why <paramref name="value"/> (the field <paramref name="field"/>) lies outside the window.</summary>
    public string Describe(string field, DateTimeOffset value) => value.UtcTicks < Floor.UtcTicks
        ? string.Create(CultureInfo.InvariantCulture, $"{field} {value:O} is before {Floor:O}")
        : string.Create(CultureInfo.InvariantCulture, $"{field} {value:O} is after {Latest:O} (the reference clock plus the allowed skew)");
}
