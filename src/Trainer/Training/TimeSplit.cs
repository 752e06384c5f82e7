namespace Fraud.Streaming.Trainer.Training;

/// <summary>
/// The labelled rows cut by time, oldest to newest: train, then validation (early stopping and thresholds), then
/// holdout (evaluation only, never seen while fitting or choosing anything).
/// </summary>
internal sealed record TimeSplit(FeatureTable Train, FeatureTable Validation, FeatureTable Holdout)
{
    /// <exception cref="InvalidOperationException">too few rows for three non-empty slices.</exception>
    public static TimeSplit Of(FeatureTable all, double validationFraction, double holdoutFraction)
    {
        if (all.RowCount < 3)
        {
            throw new InvalidOperationException($"only {all.RowCount} labelled rows: a time split needs at least 3");
        }
        var holdout = Math.Clamp((int)Math.Round(all.RowCount * holdoutFraction), 1, all.RowCount - 2);
        var validation = Math.Clamp((int)Math.Round(all.RowCount * validationFraction), 1, all.RowCount - holdout - 1);
        var train = all.RowCount - holdout - validation;
        return new TimeSplit(all.Slice(0, train), all.Slice(train, validation), all.Slice(train + validation, holdout));
    }
}
