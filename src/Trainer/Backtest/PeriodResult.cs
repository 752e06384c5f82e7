namespace Fraud.Streaming.Trainer.Backtest;

/// <summary>One walk-forward period: the model trained as of its start, scored on the transactions until the next retrain.</summary>
internal sealed record PeriodResult(
    DateTimeOffset Start,
    DateTimeOffset End,
    int TrainRows,
    int TrainFraud,
    int Scored,
    int Fraud,
    double RocAuc,
    double PrAuc,
    double RecallAt1PctFpr,
    double CardPrecisionAt100,
    IReadOnlyDictionary<string, ScenarioRecall> Scenarios);

/// <summary>A scenario's fraud in one period, and the share of it caught at the period's 1% false-positive threshold.</summary>
internal sealed record ScenarioRecall(int Fraud, double Recall);
