using System.Runtime.InteropServices;

namespace Fraud.Streaming.Shared.Features.Entities;

/// <summary>
/// Per-day totals of every merchant and device, and the entity features read from them. The offline paths add each
/// transaction and report as they meet it in history order; the scorer adds the aggregator's closed day totals as
/// they arrive. Both read a transaction's features only from days that ended at least the lag before it, so they see
/// the same integers and write the same bits. Not thread-safe.
/// </summary>
public sealed class EntityTable(int lagHours = EntityFeatures.DefaultLagHours)
{
    private readonly Dictionary<ulong, EntitySeries> _merchants = [];
    private readonly Dictionary<ulong, EntitySeries> _devices = [];

    public int LagHours { get; } = lagHours >= 0 ? lagHours : throw new ArgumentOutOfRangeException(nameof(lagHours));

    /// <summary>The newest day the features of a transaction at <paramref name="eventMs"/> read.</summary>
    public int LastDayReadBy(long eventMs) => EntityFeatures.LastDayRead(eventMs, LagHours);

    public int MerchantCount => _merchants.Count;
    public int DeviceCount => _devices.Count;

    /// <summary>Adds <paramref name="delta"/> (which may be negative: a total replaced) to an entity's day.</summary>
    public void Add(EntityKind kind, ulong key, int day, EntityTotals delta)
    {
        if (delta.IsZero)
        {
            return;
        }
        ref var series = ref CollectionsMarshal.GetValueRefOrAddDefault(kind == EntityKind.Merchant ? _merchants : _devices, key, out _);
        series ??= new EntitySeries();
        series.Add(day, delta);
    }

    /// <summary>
    /// Adds one transaction of history and its earliest fraud report (<see cref="long.MaxValue"/> when none), as the
    /// aggregator counts them: the transaction on its event day, the report on its own day when
    /// <see cref="EntityFeatures.Attributes"/>. The offline paths call this once per distinct transaction, in any order.
    /// </summary>
    public void AddHistory(in FeatureInput input, long firstReportMs, int reportHorizonDays)
    {
        var delta = EntityTotals.Transaction(input.Amount);
        var day = EntityFeatures.DayOf(input.EventMs);
        Add(EntityKind.Merchant, input.MerchantKey, day, delta);
        if (input.HasDevice)
        {
            Add(EntityKind.Device, input.DeviceKey, day, delta);
        }
        if (firstReportMs != long.MaxValue && EntityFeatures.Attributes(input.EventMs, firstReportMs, reportHorizonDays))
        {
            var reportDay = EntityFeatures.DayOf(firstReportMs);
            Add(EntityKind.Merchant, input.MerchantKey, reportDay, EntityTotals.Report);
            if (input.HasDevice)
            {
                Add(EntityKind.Device, input.DeviceKey, reportDay, EntityTotals.Report);
            }
        }
    }

    /// <summary>The totals of an entity over days [<paramref name="from"/>, <paramref name="to"/>] (tests, reports).</summary>
    public EntityTotals Sum(EntityKind kind, ulong key, int from, int to) =>
        (kind == EntityKind.Merchant ? _merchants : _devices).TryGetValue(key, out var series) ? series.Sum(from, to) : default;

    /// <summary>
    /// Writes the <see cref="EntityFeatures.Count"/> entity features of a transaction at the merchant
    /// <paramref name="merchantKey"/> and, when <paramref name="hasDevice"/>, the device <paramref name="deviceKey"/>,
    /// reading days up to <paramref name="lastDay"/> (<see cref="LastDayReadBy"/> of its event time, or earlier).
    /// </summary>
    public void Write(ulong merchantKey, bool hasDevice, ulong deviceKey, int lastDay, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, EntityFeatures.Count);
        _merchants.TryGetValue(merchantKey, out var merchant);
        EntityFeatures.Write(merchant, lastDay, destination[..EntityFeatures.PerEntity]);
        var device = destination.Slice(EntityFeatures.PerEntity, EntityFeatures.PerEntity);
        if (!hasDevice)
        {
            device.Fill(EntityFeatures.NoDevice);
            return;
        }
        _devices.TryGetValue(deviceKey, out var series);
        EntityFeatures.Write(series, lastDay, device);
    }

    /// <summary>The entity features of <paramref name="input"/> (the tail of a card-entity feature vector).</summary>
    public void Write(in FeatureInput input, Span<float> destination) =>
        Write(input.MerchantKey, input.HasDevice, input.DeviceKey, LastDayReadBy(input.EventMs), destination);

    /// <summary>
    /// Forgets days before <paramref name="day"/>, and entities left with none. No feature that reads days up to
    /// <c>day + longest window - 1</c> or later reads them. O(entities): call it now and then, not per event.
    /// </summary>
    /// <returns>Entities dropped.</returns>
    public int DropBefore(int day) => DropFrom(_merchants, day) + DropFrom(_devices, day);

    /// <summary>The oldest day a transaction at <paramref name="eventMs"/> reads: what <see cref="DropBefore"/> may keep from.</summary>
    public int OldestDayReadBy(long eventMs) => LastDayReadBy(eventMs) - EntityFeatures.LongestWindowDays + 1;

    private static int DropFrom(Dictionary<ulong, EntitySeries> entities, int day)
    {
        var dropped = 0;
        foreach (var (key, series) in entities)
        {
            series.DropBefore(day);
            if (series.Count == 0)
            {
                entities.Remove(key);
                dropped++;
            }
        }
        return dropped;
    }
}
