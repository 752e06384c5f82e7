using Fraud.Streaming.Trainer.Evaluation;

namespace Fraud.Streaming.Trainer.Publishing;

/// <summary>What the report says beyond the manifest.</summary>
internal sealed record TrainingSummary(
    long TransactionCount,
    double HoldoutFraction,
    long HoldoutFraud,
    DateTimeOffset HoldoutStart,
    DateTimeOffset HoldoutEnd,
    double ExportMaxAbsDiff,
    double ReviewFpr,
    Confusion ReviewConfusion,
    double DeclineFpr,
    Confusion DeclineConfusion,
    IReadOnlyList<KeyValuePair<string, TimeSpan>> Timings);
