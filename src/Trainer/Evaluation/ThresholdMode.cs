namespace Fraud.Streaming.Trainer.Evaluation;

/// <summary><c>--thresholds</c>: minimise expected cost (default), or cut at target false-positive rates.</summary>
internal enum ThresholdMode
{
    Cost,
    Fpr,
}
