using Fraud.Streaming.Shared.Quality;
using Fraud.Streaming.Trainer.Evaluation;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Publishing;

/// <summary>What the report says beyond the manifest.</summary>
internal sealed record TrainingSummary(
    long TransactionCount,
    TimeSplit Split,
    double ExportMaxAbsDiff,
    ThresholdMode ThresholdMode,
    DecisionCosts Costs,
    CostChoice ValidationChoice,
    double HoldoutExpectedCost,
    double ReviewFpr,
    double DeclineFpr,
    Confusion ReviewConfusion,
    Confusion DeclineConfusion,
    CalibrationReport Calibration,
    IReadOnlyList<string> Plots,
    IReadOnlyList<KeyValuePair<string, TimeSpan>> Timings);
