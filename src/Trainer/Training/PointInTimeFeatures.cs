using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Entities;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// Replays history through the shared feature pipeline exactly as the scorer does per event: one
/// <see cref="CardStateStore"/>, <see cref="CardFeatureExtractor.ExtractAndUpdate(ref CardState, in FeatureInput, Span{float}, long)"/>
/// per transaction, in (event time, transaction id) order, which it enforces. For a spec with entity features, each
/// transaction's features read an <see cref="EntityTable"/> built from the history before it (every transaction of
/// the days the features read is earlier, and so is every report received on those days), then the transaction and its
/// earliest fraud report are added to the table: the totals the aggregator publishes, so the values the scorer reads.
/// </summary>
internal sealed class PointInTimeFeatures(FeatureSpec spec)
{
    private readonly CardStateStore _cards = new(spec.CardIdleTtlMs);
    private readonly EntityTable? _entities = spec.HasEntityFeatures ? spec.NewEntityTable() : null;
    private readonly float[] _row = new float[spec.ComputedCount];
    private const int SweepEvery = 1 << 20;
    private const int SlotDistance = 8;
    private const int StateDistance = 4;
    private long _previousTicks = long.MinValue;
    private byte[] _previousId = new byte[64];
    private int _previousIdLength;

    public long TransactionCount { get; private set; }
    public int CardCount => _cards.Count;

    /// <summary>
    /// The computed features (card, entity) of row <paramref name="row"/> of <paramref name="batch"/> as of just before it;
    /// valid until the next call. The encoded ones, if any, follow from the row's slots (<see cref="HistoryReadBatch.Slots"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">the transactions are not in (event time, transaction id) order.</exception>
    public ReadOnlySpan<float> Next(HistoryReadBatch batch, int row)
    {
        // The lookups of the next rows are started early, as the scorer's batches do (CardBatchPipeline): with
        // more cards than the caches hold, each lookup otherwise waits for memory twice (index slot, then state).
        if (row + SlotDistance < batch.Count)
        {
            _cards.PrefetchSlot(batch.Input(row + SlotDistance).CardKey);
        }
        if (row + StateDistance < batch.Count)
        {
            _cards.PrefetchState(batch.Input(row + StateDistance).CardKey);
        }
        ref readonly var input = ref batch.Input(row);
        var ticks = batch.EventTicks(row);
        var id = batch.Id(row);
        var previousId = _previousId.AsSpan(0, _previousIdLength);
        if (HistoryOrder.Compare(ticks, id, _previousTicks, previousId) < 0)
        {
            throw new InvalidDataException(
                $"history is not in event-time order: {batch.IdString(row)} at {new DateTimeOffset(ticks, TimeSpan.Zero):O} after {Utf8Text.Decode(previousId)} at {new DateTimeOffset(_previousTicks, TimeSpan.Zero):O}");
        }
        Remember(ticks, id);
        TransactionCount++;
        if (TransactionCount % SweepEvery == 0)
        {
            // History is in event-time order, so a card idle relative to this event resets on its next one anyway, and
            // no later transaction reads an entity day older than this one's oldest.
            _cards.ExpireIdle(input.EventMs);
            _entities?.DropBefore(_entities.OldestDayReadBy(input.EventMs));
        }
        CardFeatureExtractor.ExtractAndUpdate(ref _cards.GetOrAdd(input.CardKey), input, _row, spec.CardIdleTtlMs);
        if (_entities is not null)
        {
            _entities.Write(input, _row.AsSpan(FeatureSpec.CardV1.Count));
            _entities.AddHistory(input, batch.Facts(row).FirstReportMs, spec.ReportHorizonDays);
        }
        return _row;
    }

    /// <summary>The features of one transaction (files, tests): the same path as a batch of one.</summary>
    /// <exception cref="InvalidDataException">the transactions are not in (event time, transaction id) order.</exception>
    public ReadOnlySpan<float> Next(Shared.Contracts.Transaction t)
    {
        _one ??= new HistoryReadBatch(1);
        _one.Clear();
        _one.Add(t, LabelFacts.None);
        return Next(_one, 0);
    }

    private HistoryReadBatch? _one;

    private void Remember(long ticks, ReadOnlySpan<byte> id)
    {
        _previousTicks = ticks;
        if (id.Length > _previousId.Length)
        {
            _previousId = new byte[Math.Max(id.Length, _previousId.Length * 2)];
        }
        id.CopyTo(_previousId);
        _previousIdLength = id.Length;
    }
}
