using Fraud.Streaming.Shared.Drift;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// The training table: history through <see cref="PointInTimeFeatures"/> (the scorer's per-event pipeline, card and
/// entity features alike). Every transaction before the as-of instant updates state; those whose outcome is known as
/// of it (<see cref="LabelFacts.TargetAsOf"/>: reported, labelled, or matured without a report) become training rows.
/// Without an explicit as-of instant it is the newest thing the history knows (its newest transaction, plus one tick, or
/// its newest label, whichever is later), known only at the end, so every transaction is kept with its label facts and
/// <see cref="Build"/> decides. Each row's raw encoding slots are kept beside its features, so the caller can learn
/// vocabularies from the training slice and then encode every row (<see cref="FeatureTable.Encode"/>).
/// </summary>
/// <remarks>
/// Rows collect in fixed-size chunks and are copied once, into arrays of the exact size, by <see cref="Build"/>.
/// Doubling one array instead copied and zeroed the features (hundreds of MB for millions of rows) about three
/// times over, which with the page faults of fresh memory was a third of the offline path's time.
/// </remarks>
/// <param name="asOfTicks">only transactions strictly before this instant (UTC ticks) are read, and only labels received
/// at or before it count; <see cref="long.MaxValue"/>: the newest instant the history knows.</param>
/// <param name="maturityTicks">a transaction this old at the as-of instant without a fraud report is genuine.</param>
/// <param name="layout">the encoding slots the batches carry; the categorical fields only when null.</param>
internal sealed class FeatureTableBuilder(FeatureSpec spec, long asOfTicks = long.MaxValue, long maturityTicks = FeatureTableBuilder.DefaultMaturityTicks,
    EncodingLayout? layout = null)
{
    public const int DefaultMaturityDays = 30;
    public const long DefaultMaturityTicks = DefaultMaturityDays * TimeSpan.TicksPerDay;

    private const int ChunkRows = 1 << 16;

    private readonly PointInTimeFeatures _pipeline = new(spec);
    private readonly int _featureCount = spec.ComputedCount;
    private readonly EncodingLayout _layout = layout ?? EncodingLayout.FieldsOnly;
    private ValueNames? _names;
    private readonly List<Chunk> _chunks = [];
    private HistoryReadBatch? _one;
    private readonly Utf8Column.Builder _ids = new();
    private readonly HashSet<int>[] _categories = [.. CategoricalValues.Fields.Select(_ => new HashSet<int>())];

    private int _rows;
    private long _newestTicks = long.MinValue;
    private long _newestLabelTicks = long.MinValue;

    public long TransactionCount => _pipeline.TransactionCount;
    public int CardCount => _pipeline.CardCount;

    /// <summary>Training rows <see cref="Build"/> made.</summary>
    public int LabelledCount { get; private set; }

    /// <summary>Transactions before the as-of instant that were neither labelled nor matured by then (known after <see cref="Build"/>): not trained on.</summary>
    public long UnmaturedCount { get; private set; }

    /// <summary>The as-of instant <see cref="Build"/> used.</summary>
    public DateTimeOffset AsOf { get; private set; }

    /// <summary>Per categorical field, the sorted values (<see cref="CategoricalValues"/>) of every transaction read: the model's "seen" set.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> Categories => CategoricalValues.Fields
        .Select((name, i) => (name, values: (IReadOnlyList<int>)[.. _categories[i].Order()]))
        .ToDictionary(p => p.name, p => p.values, StringComparer.Ordinal);

    /// <summary>Whether a transaction at or after the as-of instant was met: the rest of the history is not read.</summary>
    public bool ReachedAsOf { get; private set; }

    /// <summary>Adds one transaction (files, tests): the same path as a batch of one.</summary>
    /// <exception cref="InvalidDataException">the rows are not in (event time, transaction id) order.</exception>
    public void Add(HistoryRow row)
    {
        _one ??= new HistoryReadBatch(1, _layout, _names);
        _one.Clear();
        _one.Add(row);
        Add(_one);
    }

    /// <summary>Adds every row of <paramref name="batch"/> before the as-of instant, in order.</summary>
    /// <exception cref="InvalidDataException">the rows are not in (event time, transaction id) order.</exception>
    public void Add(HistoryReadBatch batch)
    {
        if (batch.Layout.SlotCount != _layout.SlotCount)
        {
            throw new InvalidOperationException($"the history carries {batch.Layout.SlotCount} encoding slots; this table keeps {_layout.SlotCount}");
        }
        _names ??= batch.Names;
        Span<int> categorical = stackalloc int[3];
        for (var row = 0; row < batch.Count; row++)
        {
            var ticks = batch.EventTicks(row);
            if (ticks >= asOfTicks)
            {
                ReachedAsOf = true;
                return;
            }
            var features = _pipeline.Next(batch, row);
            CategoricalValues.Of(batch.Slots(row), categorical);
            for (var c = 0; c < categorical.Length; c++)
            {
                _categories[c].Add(categorical[c]);
            }
            var facts = batch.Facts(row);
            if (asOfTicks != long.MaxValue && facts.TargetAsOf(asOfTicks, ticks, maturityTicks) is null)
            {
                UnmaturedCount++; // decided now: it can never become a row
                continue;
            }
            var index = _rows % ChunkRows;
            if (index == 0)
            {
                _chunks.Add(new Chunk(_featureCount, _layout.SlotCount));
            }
            var chunk = _chunks[^1];
            features.CopyTo(chunk.Features.AsSpan(index * _featureCount));
            batch.Slots(row).CopyTo(chunk.Slots.AsSpan(index * _layout.SlotCount));
            chunk.Facts[index] = facts;
            chunk.Ticks[index] = ticks;
            _newestTicks = Math.Max(_newestTicks, ticks);
            if (facts.HasLabel)
            {
                _newestLabelTicks = Math.Max(_newestLabelTicks, facts.LatestTicks);
            }
            _ids.Add(batch.Id(row));
            _rows++;
        }
    }

    /// <summary>The training rows as of the as-of instant, in history order.</summary>
    public FeatureTable Build()
    {
        var asOf = asOfTicks != long.MaxValue ? asOfTicks
            : _newestTicks == long.MinValue ? DateTime.MaxValue.Ticks
            : Math.Max(_newestTicks + 1, _newestLabelTicks);
        AsOf = new DateTimeOffset(Math.Min(asOf, DateTime.MaxValue.Ticks), TimeSpan.Zero);
        var keep = new List<int>(_rows);
        var targets = new bool[_rows];
        for (var row = 0; row < _rows; row++)
        {
            var chunk = _chunks[row / ChunkRows];
            var index = row % ChunkRows;
            if (chunk.Facts[index].TargetAsOf(asOf, chunk.Ticks[index], maturityTicks) is { } isFraud)
            {
                targets[keep.Count] = isFraud;
                keep.Add(row);
            }
        }
        UnmaturedCount += _rows - keep.Count;
        LabelledCount = keep.Count;
        var features = GC.AllocateUninitializedArray<float>(keep.Count * _featureCount);
        var width = _layout.SlotCount;
        var slots = GC.AllocateUninitializedArray<ulong>(keep.Count * width);
        var times = new DateTimeOffset[keep.Count];
        for (var i = 0; i < keep.Count; i++)
        {
            var chunk = _chunks[keep[i] / ChunkRows];
            var index = keep[i] % ChunkRows;
            chunk.Features.AsSpan(index * _featureCount, _featureCount).CopyTo(features.AsSpan(i * _featureCount));
            chunk.Slots.AsSpan(index * width, width).CopyTo(slots.AsSpan(i * width));
            times[i] = new DateTimeOffset(chunk.Ticks[index], TimeSpan.Zero);
        }
        return new FeatureTable(_featureCount, features, targets.AsSpan(0, keep.Count).ToArray(), times, _ids.Build(0).Pick(keep),
            new EncodingRows(_layout, slots, _names ?? new ValueNames()));
    }

    private sealed class Chunk(int featureCount, int slotCount)
    {
        public float[] Features { get; } = GC.AllocateUninitializedArray<float>(ChunkRows * featureCount);
        public ulong[] Slots { get; } = GC.AllocateUninitializedArray<ulong>(ChunkRows * slotCount);
        public LabelFacts[] Facts { get; } = new LabelFacts[ChunkRows];
        public long[] Ticks { get; } = new long[ChunkRows];
    }
}
