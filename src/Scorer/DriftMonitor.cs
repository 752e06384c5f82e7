using System.Diagnostics;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Drift;
using Fraud.Streaming.Shared.Features.Entities;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Online drift, where the features are: every scored transaction's features, score and categorical values are
/// counted in the serving model's reference bins (<see cref="DriftReference"/>), into the current step of a sliding
/// wall-clock window and into its event day. <see cref="Report"/> turns the window into population stability indexes
/// (gauges) and hands out the reports Monitoring keeps per day. A model swap starts a new window (other bins); the old
/// model's days are reported once more first. Owned by the scoring loop's thread; counting allocates nothing.
/// </summary>
internal sealed class DriftMonitor(DriftOptions options, string source)
{
    private readonly long _stepTicks = Stopwatch.Frequency * options.WindowSeconds / options.WindowSlots;
    private readonly List<DriftReport> _flushed = [];
    private readonly Dictionary<int, DriftCounts> _days = [];
    private readonly HashSet<int> _touched = [];
    private LoadedModel? _model;
    private DriftReference? _reference;
    private DriftCounts[] _slots = [];
    private long[] _slotStep = [];
    private DriftCounts? _window;
    private int[] _offsets = [];
    private int _newestDay = int.MinValue;

    /// <summary>Who reports: this process, for the reports' key and for Monitoring to sum sources.</summary>
    public string Source => source;

    /// <summary>Counts the batch just scored by <paramref name="model"/>.</summary>
    public void Observe(LoadedModel model, BatchScorer batch, long timestamp)
    {
        if (!ReferenceEquals(model, _model))
        {
            Switch(model);
        }
        if (_reference is not { } reference)
        {
            return;
        }
        var slot = Slot(timestamp);
        Span<int> categorical = stackalloc int[CategoricalValues.Fields.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            ref readonly var transaction = ref batch.TransactionAt(i);
            var day = Day(EntityFeatures.DayOf(transaction.EventTime.ToUnixTimeMilliseconds()));
            var features = batch.FeaturesAt(i);
            for (var f = 0; f < features.Length; f++)
            {
                var bin = _offsets[f] + QuantileBins.BinOf(reference.FeatureEdges[f], features[f]);
                slot.Features[bin]++;
                if (day is not null)
                {
                    day.Features[bin]++;
                }
            }
            var scoreBin = QuantileBins.BinOf(reference.ScoreEdges, batch.ScoreAt(i));
            slot.Score[scoreBin]++;
            CategoricalValues.Of(transaction, categorical);
            for (var c = 0; c < categorical.Length; c++)
            {
                if (reference.SeenCategories[c] is { } seen && !seen.Contains(categorical[c]))
                {
                    slot.Unseen[c]++;
                    if (day is not null)
                    {
                        day.Unseen[c]++;
                    }
                }
            }
            slot.Transactions++;
            if (day is not null)
            {
                day.Score[scoreBin]++;
                day.Transactions++;
            }
        }
    }

    /// <summary>
    /// The window's indexes as gauges, and the reports to publish: the previous model's last one after a swap, then the
    /// serving model's (its window, and the days that received transactions since the last report). Empty before any
    /// model with a reference has scored.
    /// </summary>
    public IReadOnlyList<DriftReport> Report(long timestamp, DateTimeOffset now)
    {
        var reports = new List<DriftReport>(_flushed);
        _flushed.Clear();
        if (_reference is null || _window is null)
        {
            ScorerMetrics.DriftActive.Set(0);
            return reports;
        }
        var window = WindowCounts(timestamp);
        var summary = Summarize(window);
        ScorerMetrics.DriftActive.Set(1);
        ScorerMetrics.DriftWindowTransactions.Set(window.Transactions);
        ScorerMetrics.DriftScorePsi.Set(summary.ScorePsi);
        foreach (var (feature, psi) in summary.FeaturePsi)
        {
            ScorerMetrics.DriftFeaturePsi.WithLabels(feature).Set(psi);
        }
        foreach (var (field, rate) in summary.UnseenRate)
        {
            ScorerMetrics.DriftUnseenRatio.WithLabels(field).Set(rate);
        }
        reports.Add(Build(summary, now));
        return reports;
    }

    private void Switch(LoadedModel model)
    {
        if (_reference is not null && _window is not null && _touched.Count > 0)
        {
            _flushed.Add(Build(Summarize(_window), DateTimeOffset.UtcNow));
        }
        _model = model;
        _reference = model.Drift;
        _days.Clear();
        _touched.Clear();
        _newestDay = int.MinValue;
        if (_reference is not { } reference)
        {
            _window = null;
            return;
        }
        _offsets = new int[reference.FeatureEdges.Length];
        var bins = 0;
        for (var f = 0; f < _offsets.Length; f++)
        {
            _offsets[f] = bins;
            bins += reference.FeatureEdges[f].Length + 1;
        }
        _slots = [.. Enumerable.Range(0, options.WindowSlots).Select(_ => New())];
        _slotStep = Enumerable.Repeat(long.MinValue, options.WindowSlots).ToArray();
        _window = New();
    }

    private DriftCounts New() => new(_offsets, _offsets.Length == 0 ? 0 : _offsets[^1] + _reference!.FeatureEdges[^1].Length + 1,
        _reference!.ScoreEdges.Length + 1, CategoricalValues.Fields.Count);

    /// <summary>The window step <paramref name="timestamp"/> falls in, emptied first if it last held an older step.</summary>
    private DriftCounts Slot(long timestamp)
    {
        var step = timestamp / _stepTicks;
        var index = (int)(step % _slots.Length);
        if (_slotStep[index] != step)
        {
            _slots[index].Clear();
            _slotStep[index] = step;
        }
        return _slots[index];
    }

    /// <summary>The day's cumulative counts; null for a day older than the retained ones (it counts in the window only).</summary>
    private DriftCounts? Day(int day)
    {
        if (_newestDay != int.MinValue && day <= _newestDay - options.RetainedDays)
        {
            return null;
        }
        if (!_days.TryGetValue(day, out var counts))
        {
            counts = New(); // one allocation per new event day
            _days[day] = counts;
            if (day > _newestDay)
            {
                _newestDay = day;
                foreach (var old in _days.Keys.Where(d => d <= _newestDay - options.RetainedDays).ToList())
                {
                    _days.Remove(old);
                    _touched.Remove(old);
                }
            }
        }
        _touched.Add(day);
        return counts;
    }

    private DriftCounts WindowCounts(long timestamp)
    {
        var window = _window!;
        window.Clear();
        var step = timestamp / _stepTicks;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slotStep[i] > step - _slots.Length)
            {
                window.Add(_slots[i]);
            }
        }
        return window;
    }

    private DriftWindow Summarize(DriftCounts window)
    {
        var reference = _reference!;
        var featurePsi = new Dictionary<string, double>(reference.Features.Count, StringComparer.Ordinal);
        for (var f = 0; f < reference.Features.Count; f++)
        {
            featurePsi[reference.Features[f]] = Psi.Of(reference.FeatureShares[f], window.FeatureBins(f));
        }
        var unseen = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var c = 0; c < CategoricalValues.Fields.Count; c++)
        {
            if (reference.SeenCategories[c] is not null)
            {
                unseen[CategoricalValues.Fields[c]] = window.Transactions == 0 ? 0 : (double)window.Unseen[c] / window.Transactions;
            }
        }
        return new DriftWindow(options.WindowSeconds, window.Transactions, Psi.Of(reference.ScoreShares, window.Score), featurePsi, unseen);
    }

    private DriftReport Build(DriftWindow window, DateTimeOffset now)
    {
        var reference = _reference!;
        var days = new List<DriftDay>(_touched.Count);
        foreach (var day in _touched.Order())
        {
            var counts = _days[day];
            days.Add(new DriftDay(
                DateOnly.FromDayNumber(EntityFeatures.UnixEpochDayNumber + day),
                counts.Transactions,
                counts.Score.ToArray(),
                reference.Features.Select((name, f) => (name, bins: (IReadOnlyList<long>)counts.FeatureBins(f).ToArray()))
                    .ToDictionary(p => p.name, p => p.bins, StringComparer.Ordinal),
                CategoricalValues.Fields.Select((name, c) => (name, n: counts.Unseen[c])).ToDictionary(p => p.name, p => p.n, StringComparer.Ordinal)));
        }
        _touched.Clear();
        return new DriftReport { Source = source, ModelVersion = reference.Version, ReportedAt = now, Window = window, Days = days };
    }
}
