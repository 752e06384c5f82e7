namespace Fraud.Streaming.Gbdt;

/// <summary>Checks options and data up front, so a bad setting fails with one line that names it.</summary>
internal static class GbdtValidation
{
    public const int MaxDepthLimit = 12;

    public static void Check(GbdtOptions o, GbdtDataset train, GbdtDataset? validation)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(train);
        Require(o.Rounds >= 1, $"Rounds must be at least 1 (got {o.Rounds})");
        Require(o.MaxDepth is >= 1 and <= MaxDepthLimit, $"MaxDepth must be between 1 and {MaxDepthLimit} (got {o.MaxDepth})");
        Require(o.MaxBins is >= 2 and <= 255, $"MaxBins must be between 2 and 255 (got {o.MaxBins})");
        Require(double.IsFinite(o.LearningRate) && o.LearningRate > 0, $"LearningRate must be a positive number (got {o.LearningRate})");
        Require(double.IsFinite(o.Lambda) && o.Lambda >= 0, $"Lambda must be zero or positive (got {o.Lambda})");
        Require(double.IsFinite(o.MinChildWeight) && o.MinChildWeight >= 0, $"MinChildWeight must be zero or positive (got {o.MinChildWeight})");
        Require(double.IsFinite(o.MinSplitGain) && o.MinSplitGain >= 0, $"MinSplitGain must be zero or positive (got {o.MinSplitGain})");
        Require(o.RowSubsample is > 0 and <= 1, $"RowSubsample must be in (0, 1] (got {o.RowSubsample})");
        Require(o.ColumnSubsample is > 0 and <= 1, $"ColumnSubsample must be in (0, 1] (got {o.ColumnSubsample})");
        Require(double.IsFinite(o.ScalePosWeight) && o.ScalePosWeight > 0, $"ScalePosWeight must be a positive number (got {o.ScalePosWeight})");
        Require(o.EarlyStoppingRounds >= 0, $"EarlyStoppingRounds must be zero or positive (got {o.EarlyStoppingRounds})");
        Require(o.EarlyStoppingRounds == 0 || validation is not null, "EarlyStoppingRounds needs a validation dataset");
        Require(o.Threads is null or >= 1, $"Threads must be at least 1 (got {o.Threads})");
        Require(Enum.IsDefined(o.Device), $"Device {o.Device} is not a known device");
        CheckData(train, "training");
        var positives = 0;
        foreach (var label in train.Labels.Span)
        {
            positives += label ? 1 : 0;
        }
        Require(positives > 0 && positives < train.RowCount, "training labels must contain both classes (positives and negatives)");
        if (validation is not null)
        {
            CheckData(validation, "validation");
            Require(validation.FeatureCount == train.FeatureCount,
                $"validation data has {validation.FeatureCount} features but training data has {train.FeatureCount}");
        }
    }

    public static void CheckData(GbdtDataset data, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        Require(data.RowCount >= 1, $"{name} data has no rows");
        Require(data.FeatureCount >= 1, $"{name} data has no features");
        Require((long)data.RowCount * data.FeatureCount == data.Features.Length,
            $"{name} data: Features has {data.Features.Length} values, expected RowCount x FeatureCount = {(long)data.RowCount * data.FeatureCount}");
        Require(data.Labels.Length == data.RowCount, $"{name} data: Labels has {data.Labels.Length} values, expected RowCount = {data.RowCount}");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
