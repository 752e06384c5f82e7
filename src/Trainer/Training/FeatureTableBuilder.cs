using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// The training table: history through <see cref="PointInTimeFeatures"/> (the scorer's per-event pipeline).
/// Every transaction updates state; only labelled ones become training rows.
/// </summary>
/// <remarks>
/// For a spec with merchant features, <see cref="Build"/> also freezes the <see cref="MerchantTable"/>: the oldest
/// <paramref name="merchantTableFraction"/> of the labelled rows (by event time) build the table and are not
/// training rows; every later row gets the table's merchant features. The table holds only labels strictly before
/// the cutoff, and every training row is at or after it, so no row sees its own label (or any later one).
/// <para>
/// Rows collect in fixed-size chunks and are copied once, into arrays of the exact size, by <see cref="Build"/>.
/// Doubling one array instead copied and zeroed the features (hundreds of MB for millions of rows) about three
/// times over, which with the page faults of fresh memory was a third of the offline path's time.
/// </para>
/// </remarks>
internal sealed class FeatureTableBuilder(FeatureSpec spec, double merchantTableFraction = FeatureTableBuilder.DefaultMerchantTableFraction)
{
    /// <summary>A quarter of the labelled history builds the merchant table; the rest trains.</summary>
    public const double DefaultMerchantTableFraction = 0.25;

    private const int ChunkRows = 1 << 16;

    private readonly PointInTimeFeatures _pipeline = new(spec);
    private readonly int _featureCount = spec.Count;
    private readonly List<Chunk> _chunks = [];
    private readonly HistoryBatch _one = new(1);
    private readonly Utf8Column.Builder _ids = new();

    public long TransactionCount => _pipeline.TransactionCount;
    public int LabelledCount { get; private set; }
    public int CardCount => _pipeline.CardCount;

    /// <summary>The frozen merchant table after <see cref="Build"/>; null for a spec without merchant features.</summary>
    public MerchantTable? Merchants { get; private set; }

    /// <summary>Adds one transaction (files, tests): the same path as a batch of one.</summary>
    /// <exception cref="InvalidDataException">the rows are not in (event time, transaction id) order.</exception>
    public void Add(HistoryRow row)
    {
        _one.Clear();
        _one.Add(row);
        Add(_one);
    }

    /// <summary>Adds every row of <paramref name="batch"/>, in order.</summary>
    /// <exception cref="InvalidDataException">the rows are not in (event time, transaction id) order.</exception>
    public void Add(HistoryBatch batch)
    {
        for (var row = 0; row < batch.Count; row++)
        {
            var features = _pipeline.Next(batch, row);
            if (batch.Label(row) is not { } isFraud)
            {
                continue;
            }
            var index = LabelledCount % ChunkRows;
            if (index == 0)
            {
                _chunks.Add(new Chunk(_featureCount, spec.HasMerchantFeatures));
            }
            var chunk = _chunks[^1];
            features.CopyTo(chunk.Features.AsSpan(index * _featureCount));
            chunk.Labels[index] = isFraud;
            chunk.Times[index] = new DateTimeOffset(batch.EventTicks(row), TimeSpan.Zero);
            _ids.Add(batch.Id(row));
            if (spec.HasMerchantFeatures)
            {
                ref readonly var input = ref batch.Input(row);
                chunk.Merchants[index] = input.MerchantKey;
                chunk.Amounts[index] = input.Amount;
            }
            LabelledCount++;
        }
    }

    /// <summary>The training rows (for a spec with merchant features: those at or after the table cutoff).</summary>
    public FeatureTable Build()
    {
        var first = spec.HasMerchantFeatures ? FreezeMerchants() : 0;
        var count = LabelledCount - first;
        var features = GC.AllocateUninitializedArray<float>(count * _featureCount);
        var labels = new bool[count];
        var times = new DateTimeOffset[count];
        var merchantKeys = spec.HasMerchantFeatures ? new ulong[count] : null;
        for (var row = first; row < LabelledCount;)
        {
            var chunk = _chunks[row / ChunkRows];
            var index = row % ChunkRows;
            var rows = Math.Min(ChunkRows - index, LabelledCount - row);
            var to = row - first;
            chunk.Features.AsSpan(index * _featureCount, rows * _featureCount).CopyTo(features.AsSpan(to * _featureCount));
            chunk.Labels.AsSpan(index, rows).CopyTo(labels.AsSpan(to));
            chunk.Times.AsSpan(index, rows).CopyTo(times.AsSpan(to));
            if (merchantKeys is not null)
            {
                chunk.Merchants.AsSpan(index, rows).CopyTo(merchantKeys.AsSpan(to));
            }
            if (Merchants is { } merchants)
            {
                for (var r = 0; r < rows; r++)
                {
                    merchants.Append(chunk.Merchants[index + r], features.AsSpan((to + r) * _featureCount, _featureCount));
                }
            }
            row += rows;
        }
        return new FeatureTable(_featureCount, features, labels, times, _ids.Build(first), merchantKeys);
    }

    /// <summary>Builds <see cref="Merchants"/> from the rows before the cutoff; returns the first training row.</summary>
    private int FreezeMerchants()
    {
        var cutoffRow = (int)Math.Floor(LabelledCount * merchantTableFraction);
        var cutoff = LabelledCount == 0 ? DateTimeOffset.MinValue : TimeAt(Math.Min(cutoffRow, LabelledCount - 1));
        var table = new MerchantTableBuilder(cutoff);
        var first = 0;
        // Rows are in event-time order, so the rows before the cutoff are a prefix; ties with the cutoff train.
        while (first < LabelledCount && TimeAt(first) < cutoff)
        {
            var chunk = _chunks[first / ChunkRows];
            var index = first % ChunkRows;
            var cardNotPresent = chunk.Features[(index * _featureCount) + CardNotPresentIndex] != 0f;
            table.Add(chunk.Merchants[index], chunk.Times[index], chunk.Amounts[index], cardNotPresent, chunk.Labels[index]);
            first++;
        }
        Merchants = table.Build();
        return first;
    }

    private DateTimeOffset TimeAt(int row) => _chunks[row / ChunkRows].Times[row % ChunkRows];

    private static readonly int CardNotPresentIndex = IndexOf(FeatureSpec.CardV1, "card_not_present");

    private static int IndexOf(FeatureSpec of, string name) =>
        of.Names.ToList().IndexOf(name) is var i and >= 0 ? i : throw new InvalidOperationException($"{of.Name} has no feature {name}");

    /// <param name="merchants">keep what the merchant table is built from (merchant, amount) as well.</param>
    private sealed class Chunk(int featureCount, bool merchants)
    {
        public float[] Features { get; } = GC.AllocateUninitializedArray<float>(ChunkRows * featureCount);
        public bool[] Labels { get; } = new bool[ChunkRows];
        public DateTimeOffset[] Times { get; } = new DateTimeOffset[ChunkRows];
        public ulong[] Merchants { get; } = new ulong[merchants ? ChunkRows : 0];
        public double[] Amounts { get; } = new double[merchants ? ChunkRows : 0];
    }
}
