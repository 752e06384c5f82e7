using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Trainer.History;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Backtest;

/// <summary>
/// The whole history through the feature pipeline once, in order: every transaction's point-in-time features (card
/// and entity state carried over the whole stream, as a scorer that never stopped would have them), its time, card,
/// label facts, eventual outcome and raw encoding slots. Each walk-forward period then trains on a prefix (learning its
/// vocabularies from it) and scores a slice of it.
/// </summary>
internal sealed class BacktestHistory
{
    private BacktestHistory(FeatureSpec spec, float[] features, long[] ticks, ulong[] cards, LabelFacts[] facts, string?[] scenarios, EncodingRows encoding)
    {
        Spec = spec;
        Encoding = encoding;
        Features = features;
        Ticks = ticks;
        Cards = cards;
        Facts = facts;
        Scenarios = scenarios;
    }

    public FeatureSpec Spec { get; }

    /// <summary>Every transaction's raw encoding slots.</summary>
    public EncodingRows Encoding { get; }

    public int Count => Ticks.Length;
    public float[] Features { get; }
    public long[] Ticks { get; }
    public ulong[] Cards { get; }
    public LabelFacts[] Facts { get; }

    /// <summary>The fraud scenario a label named, per transaction (null when none did).</summary>
    public string?[] Scenarios { get; }

    /// <summary>What became of the transaction by the end of the history: reported (or labelled) fraud, else genuine.</summary>
    public bool Outcome(int row) => Facts[row].FirstFraudTicks != long.MaxValue || (Facts[row].HasLabel && Facts[row].LatestIsFraud);

    /// <param name="scenarioOf">the scenario of a transaction id, when a label named one.</param>
    /// <param name="progress">called with the rows read so far, now and then.</param>
    public static async Task<BacktestHistory> ReadAsync(IHistorySource source, FeatureSpec spec, Func<string, string?> scenarioOf,
        Action<long> progress, CancellationToken cancellationToken)
    {
        var pipeline = new PointInTimeFeatures(spec);
        var width = spec.ComputedCount;
        var features = new List<float[]>();
        var slots = new List<ulong>();
        ValueNames? names = null;
        var ticks = new List<long>();
        var cards = new List<ulong>();
        var facts = new List<LabelFacts>();
        var scenarios = new List<string?>();
        var chunk = Array.Empty<float>();
        var inChunk = 0;
        const int chunkRows = 1 << 16;
        await foreach (var batch in source.ReadAsync(cancellationToken))
        {
            names ??= batch.Names;
            for (var row = 0; row < batch.Count; row++)
            {
                if (inChunk == 0)
                {
                    chunk = GC.AllocateUninitializedArray<float>(chunkRows * width);
                    features.Add(chunk);
                }
                pipeline.Next(batch, row).CopyTo(chunk.AsSpan(inChunk * width));
                foreach (var slot in batch.Slots(row))
                {
                    slots.Add(slot);
                }
                inChunk = (inChunk + 1) % chunkRows;
                ticks.Add(batch.EventTicks(row));
                cards.Add(batch.Input(row).CardKey);
                facts.Add(batch.Facts(row));
                scenarios.Add(batch.Facts(row).FirstFraudTicks != long.MaxValue ? scenarioOf(batch.IdString(row)) : null);
            }
            progress(ticks.Count);
        }
        var all = GC.AllocateUninitializedArray<float>(ticks.Count * width);
        for (var c = 0; c < features.Count; c++)
        {
            var rows = Math.Min(chunkRows, ticks.Count - (c * chunkRows));
            features[c].AsSpan(0, rows * width).CopyTo(all.AsSpan(c * chunkRows * width));
        }
        return new BacktestHistory(spec, all, [.. ticks], [.. cards], [.. facts], [.. scenarios],
            new EncodingRows(Shared.Features.Vocabularies.EncodingLayout.FieldsOnly, [.. slots], names ?? new ValueNames()));
    }

    /// <summary>The rows whose outcome is known as of <paramref name="asOfTicks"/> (maturity included), before it, as a training table.</summary>
    public FeatureTable TrainingRowsAsOf(long asOfTicks, long maturityTicks)
    {
        var rows = new List<int>();
        var labels = new List<bool>();
        for (var i = 0; i < Count && Ticks[i] < asOfTicks; i++)
        {
            if (Facts[i].TargetAsOf(asOfTicks, Ticks[i], maturityTicks) is { } isFraud)
            {
                rows.Add(i);
                labels.Add(isFraud);
            }
        }
        return Table(rows, [.. labels]);
    }

    /// <summary>Rows [<paramref name="from"/>, <paramref name="to"/>) with their eventual outcomes.</summary>
    public FeatureTable Slice(int from, int to) =>
        Table(Enumerable.Range(from, to - from).ToList(), Enumerable.Range(from, to - from).Select(Outcome).ToArray());

    /// <summary>The first row at or after <paramref name="ticks"/> (history is in time order).</summary>
    public int FirstAtOrAfter(long ticks)
    {
        var index = Array.BinarySearch(Ticks, ticks);
        if (index < 0)
        {
            return ~index;
        }
        while (index > 0 && Ticks[index - 1] == ticks)
        {
            index--;
        }
        return index;
    }

    private FeatureTable Table(List<int> rows, bool[] labels)
    {
        var width = Spec.ComputedCount;
        var features = GC.AllocateUninitializedArray<float>(rows.Count * width);
        var times = new DateTimeOffset[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            Features.AsSpan(rows[i] * width, width).CopyTo(features.AsSpan(i * width));
            times[i] = new DateTimeOffset(Ticks[rows[i]], TimeSpan.Zero);
        }
        return new FeatureTable(width, features, labels, times, Utf8Column.From(rows.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            Encoding.Pick(rows));
    }
}
