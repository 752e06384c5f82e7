using Fraud.Streaming.Shared.Features.Entities;

namespace Fraud.Streaming.Aggregator;

/// <summary>
/// The day totals of one partition of the transactions topic and the same partition of the labels topic (both keyed
/// by card, so a card's transactions and reports meet here). Transactions count on their event day; a fraud report
/// counts on the day it was received, for the merchant and device of its transaction, when
/// <see cref="EntityFeatures.Attributes"/> says so. A day closes once both streams' watermarks (newest time seen, less
/// the grace period) passed its end; from then on its totals are final and published, and an event for it is late:
/// the day is corrected and published again while it is recent enough for any feature to read it. Fraud reports are
/// few, so their own watermark would move in jumps: it is taken to be at least the transactions' less
/// <paramref name="labelLagMs"/> (reports reach the aggregator at most that far behind the transactions; a later one
/// is late).
/// </summary>
/// <remarks>
/// The totals of a closed day depend only on the events, never on when they arrived or how the two streams
/// interleaved: a report waits for its transaction (a report is never before its transaction, and a day closes only
/// when the transactions' watermark passed it), and a transaction's report time is its earliest fraud report. So
/// totals equal what the offline paths compute from history, which is what makes the scorer's features equal them.
/// Not thread-safe: one loop owns it.
/// </remarks>
internal sealed class PartitionAccumulator(int partition, long graceMs, int reportHorizonDays, int keepClosedDays, long labelLagMs = 3_600_000L)
{
    private readonly Dictionary<ulong, TxFacts> _index = [];
    private readonly Dictionary<ulong, long> _pendingReports = [];
    private readonly SortedDictionary<int, Dictionary<(EntityKind Kind, ulong Key), EntityTotals>> _days = [];
    private readonly SortedSet<int> _corrected = [];
    private long _txMaxMs = long.MinValue;
    private long _labelMaxMs = long.MinValue;

    public int Partition { get; } = partition;

    public AccumulatorCounters Counters { get; } = new();

    /// <summary>The newest closed day; <see cref="int.MinValue"/> before the first.</summary>
    public int ClosedThrough { get; private set; } = int.MinValue;

    /// <summary>No transaction arrived for a while and the partition is read to its end: its days close with the others'.</summary>
    public bool TransactionsIdle { get; set; }

    /// <summary>No report arrived for a while and the partition is read to its end: reports follow the transactions' watermark.</summary>
    public bool LabelsIdle { get; set; }

    /// <summary>Transactions remembered for attributing reports.</summary>
    public int IndexedTransactions => _index.Count;

    /// <summary>The transactions' watermark (newest event time less the grace), ignoring idleness; <see cref="long.MinValue"/> before the first.</summary>
    public long TransactionWatermarkMs => _txMaxMs == long.MinValue ? long.MinValue : _txMaxMs - graceMs;

    public void Transaction(ulong transactionKey, long eventMs, double amount, ulong merchantKey, bool hasDevice, ulong deviceKey)
    {
        if (_index.ContainsKey(transactionKey))
        {
            Counters.DuplicateTransactions++;
            return;
        }
        var facts = new TxFacts { Merchant = merchantKey, Device = deviceKey, HasDevice = hasDevice, EventMs = eventMs, ReportMs = long.MaxValue };
        _txMaxMs = Math.Max(_txMaxMs, eventMs);
        AddToEntities(facts, EntityFeatures.DayOf(eventMs), EntityTotals.Transaction(amount));
        if (_pendingReports.Remove(transactionKey, out var reportMs))
        {
            Report(ref facts, reportMs);
        }
        _index[transactionKey] = facts;
    }

    /// <summary>A fraud report (a fraud label) received at <paramref name="reportedMs"/> about the transaction <paramref name="transactionKey"/>.</summary>
    public void FraudReport(ulong transactionKey, long reportedMs)
    {
        _labelMaxMs = Math.Max(_labelMaxMs, reportedMs);
        ref var facts = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_index, transactionKey);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref facts))
        {
            // Its transaction has not arrived yet (the two topics are read independently): it waits for it.
            _pendingReports[transactionKey] = _pendingReports.TryGetValue(transactionKey, out var earlier) ? Math.Min(earlier, reportedMs) : reportedMs;
            return;
        }
        Report(ref facts, reportedMs);
    }

    /// <summary>
    /// Closes every day both watermarks passed. <paramref name="followMs"/> is where an idle partition's transactions
    /// are taken to be (the newest watermark of the partitions that are not idle).
    /// </summary>
    /// <returns>Whether the closed-through day moved.</returns>
    public bool Advance(long followMs)
    {
        var watermark = Watermark(followMs, TransactionsIdle, LabelsIdle, out var transactions);
        ExpirePendingReports(transactions);
        if (watermark == long.MinValue)
        {
            return false;
        }
        var closable = EntityFeatures.DayOf(watermark) - 1;
        if (closable <= ClosedThrough)
        {
            return false;
        }
        ClosedThrough = closable;
        Forget(watermark);
        return true;
    }

    /// <summary>
    /// Whether taking the partition's streams as idle (<paramref name="transactionsIdle"/>, <paramref name="labelsIdle"/>)
    /// would close a day that their own watermarks do not: the moment to make sure, with the broker, that they really are.
    /// </summary>
    public bool IdlenessWouldClose(long followMs, bool transactionsIdle, bool labelsIdle)
    {
        var own = Watermark(followMs, false, false, out _);
        var idle = Watermark(followMs, transactionsIdle, labelsIdle, out _);
        return idle != long.MinValue && EntityFeatures.DayOf(idle) - 1 > Math.Max(ClosedThrough, own == long.MinValue ? int.MinValue : EntityFeatures.DayOf(own) - 1);
    }

    private long Watermark(long followMs, bool transactionsIdle, bool labelsIdle, out long transactions)
    {
        transactions = TransactionWatermarkMs;
        if (transactionsIdle)
        {
            transactions = Math.Max(transactions, followMs);
        }
        var labels = _labelMaxMs == long.MinValue ? long.MinValue : _labelMaxMs - graceMs;
        if (transactions != long.MinValue)
        {
            labels = Math.Max(labels, labelsIdle ? transactions : transactions - labelLagMs);
        }
        return Math.Min(transactions, labels);
    }

    /// <summary>Days with totals that are closed, in order (what to publish after a restart or an advance).</summary>
    public IEnumerable<int> ClosedDays() => _days.Keys.Where(d => d <= ClosedThrough);

    /// <summary>Closed days changed by late events since the last call; cleared by reading.</summary>
    public IReadOnlyList<int> TakeCorrected()
    {
        var days = _corrected.Where(d => d <= ClosedThrough).ToList();
        _corrected.Clear();
        return days;
    }

    /// <summary>A day's totals in (kind, key) order; entries that add up to nothing are left out.</summary>
    public List<EntityDayEntry> Totals(int day)
    {
        var entries = new List<EntityDayEntry>();
        if (_days.TryGetValue(day, out var totals))
        {
            foreach (var ((kind, key), value) in totals)
            {
                if (!value.IsZero)
                {
                    entries.Add(new EntityDayEntry(kind, key, value));
                }
            }
        }
        entries.Sort(static (a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : a.Key.CompareTo(b.Key));
        return entries;
    }

    private void Report(ref TxFacts facts, long reportedMs)
    {
        if (reportedMs >= facts.ReportMs)
        {
            return; // counted once, at its earliest report
        }
        if (facts.ReportMs != long.MaxValue && EntityFeatures.Attributes(facts.EventMs, facts.ReportMs, reportHorizonDays))
        {
            // An earlier report arrived after a later one: the report moves to the earlier day.
            AddToEntities(facts, EntityFeatures.DayOf(facts.ReportMs), default(EntityTotals) - EntityTotals.Report);
        }
        facts.ReportMs = reportedMs;
        if (EntityFeatures.Attributes(facts.EventMs, reportedMs, reportHorizonDays))
        {
            AddToEntities(facts, EntityFeatures.DayOf(reportedMs), EntityTotals.Report);
        }
        else
        {
            Counters.UnattributedReports++;
        }
    }

    private void AddToEntities(in TxFacts facts, int day, EntityTotals delta)
    {
        if (day <= ClosedThrough)
        {
            if (day <= ClosedThrough - keepClosedDays)
            {
                Counters.TooLate++;
                return;
            }
            Counters.Late++;
            _corrected.Add(day);
        }
        if (!_days.TryGetValue(day, out var totals))
        {
            _days[day] = totals = [];
        }
        Add(totals, (EntityKind.Merchant, facts.Merchant), delta);
        if (facts.HasDevice)
        {
            Add(totals, (EntityKind.Device, facts.Device), delta);
        }
    }

    private static void Add(Dictionary<(EntityKind, ulong), EntityTotals> totals, (EntityKind, ulong) entity, EntityTotals delta)
    {
        ref var value = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(totals, entity, out _);
        value += delta;
    }

    /// <summary>A report whose time the transactions' watermark passed without its transaction arriving will never match.</summary>
    private void ExpirePendingReports(long transactionWatermarkMs)
    {
        if (_pendingReports.Count == 0 || transactionWatermarkMs == long.MinValue)
        {
            return;
        }
        foreach (var (key, reportMs) in _pendingReports)
        {
            if (reportMs < transactionWatermarkMs)
            {
                _pendingReports.Remove(key);
                Counters.UnmatchedReports++;
            }
        }
    }

    /// <summary>Drops closed days no correction may touch, and transactions no report can be attributed to any more.</summary>
    private void Forget(long watermarkMs)
    {
        while (_days.Count > 0 && _days.Keys.First() <= ClosedThrough - keepClosedDays)
        {
            _days.Remove(_days.Keys.First());
        }
        // A report that is not late is received at or after the watermark, so it cannot be attributed to a transaction
        // more than the horizon older than that.
        var oldest = watermarkMs - (reportHorizonDays * EntityFeatures.MsPerDay);
        foreach (var (key, facts) in _index)
        {
            if (facts.EventMs < oldest)
            {
                _index.Remove(key);
            }
        }
    }
}
