using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;
using Fraud.Streaming.Trainer.History;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// The first step of a training run: the history read once, in order, through the feature pipeline, as of an
/// instant, into the table of rows whose outcome is known then (computed features and raw encoding slots; no
/// vocabulary is learned yet).
/// </summary>
/// <param name="All">the training rows (labelled or matured as of <paramref name="AsOf"/>).</param>
/// <param name="Transactions">transactions read (before the as-of instant).</param>
/// <param name="Unmatured">transactions neither reported nor matured as of <paramref name="AsOf"/>: not trained on.</param>
/// <param name="Categories">per categorical field, the values the transactions read carried (<see cref="Shared.Drift.CategoricalValues"/>).</param>
internal sealed record TrainingData(FeatureTable All, long Transactions, int Cards, long Unmatured, DateTimeOffset AsOf, int MaturityDays,
    IReadOnlyDictionary<string, IReadOnlyList<int>> Categories)
{
    /// <exception cref="InvalidDataException">the history is not in order or not readable.</exception>
    /// <param name="layout">the encoding slots the source reads; the categorical fields only when null.</param>
    public static async Task<TrainingData> ReadAsync(IHistorySource source, FeatureSpec spec, DateTimeOffset? asOf, int maturityDays,
        CancellationToken cancellationToken, EncodingLayout? layout = null)
    {
        var builder = new FeatureTableBuilder(spec, asOf?.UtcTicks ?? long.MaxValue, maturityDays * TimeSpan.TicksPerDay, layout);
        await foreach (var batch in source.ReadAsync(cancellationToken))
        {
            builder.Add(batch);
            if (builder.ReachedAsOf)
            {
                break; // history is in event-time order: nothing later is before the as-of instant
            }
        }
        var all = builder.Build();
        return new TrainingData(all, builder.TransactionCount, builder.CardCount, builder.UnmaturedCount, builder.AsOf, maturityDays, builder.Categories);
    }
}
