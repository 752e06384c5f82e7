namespace Fraud.Streaming.Gbdt;

/// <summary>Checks options and data up front, so a bad setting fails with one line that names it.</summary>
internal static class GbdtValidation
{
    public const int MaxDepthLimit = 12;

    public static void Check(GbdtOptions o, GbdtDataset train, GbdtDataset? validation)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckOptions(o, static property => property);
        Require(o.EarlyStoppingRounds == 0 || validation is not null, "EarlyStoppingRounds needs a validation dataset");
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

    /// <summary>Checks the option values alone; <paramref name="name"/> maps a property name to what the caller calls it (e.g. a flag).</summary>
    public static void CheckOptions(GbdtOptions o, Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(name);
        Require(o.Rounds >= 1, $"{name(nameof(o.Rounds))} must be at least 1 (got {o.Rounds})");
        Require(o.MaxDepth is >= 1 and <= MaxDepthLimit, $"{name(nameof(o.MaxDepth))} must be between 1 and {MaxDepthLimit} (got {o.MaxDepth})");
        Require(o.MaxBins is >= 2 and <= 255, $"{name(nameof(o.MaxBins))} must be between 2 and 255 (got {o.MaxBins})");
        Require(double.IsFinite(o.LearningRate) && o.LearningRate > 0, $"{name(nameof(o.LearningRate))} must be a positive number (got {o.LearningRate})");
        Require(double.IsFinite(o.Lambda) && o.Lambda >= 0, $"{name(nameof(o.Lambda))} must be zero or positive (got {o.Lambda})");
        Require(double.IsFinite(o.MinChildWeight) && o.MinChildWeight >= 0, $"{name(nameof(o.MinChildWeight))} must be zero or positive (got {o.MinChildWeight})");
        Require(double.IsFinite(o.MinSplitGain) && o.MinSplitGain >= 0, $"{name(nameof(o.MinSplitGain))} must be zero or positive (got {o.MinSplitGain})");
        Require(o.RowSubsample is > 0 and <= 1, $"{name(nameof(o.RowSubsample))} must be in (0, 1] (got {o.RowSubsample})");
        Require(o.ColumnSubsample is > 0 and <= 1, $"{name(nameof(o.ColumnSubsample))} must be in (0, 1] (got {o.ColumnSubsample})");
        Require(double.IsFinite(o.ScalePosWeight) && o.ScalePosWeight > 0, $"{name(nameof(o.ScalePosWeight))} must be a positive number (got {o.ScalePosWeight})");
        Require(o.EarlyStoppingRounds >= 0, $"{name(nameof(o.EarlyStoppingRounds))} must be zero or positive (got {o.EarlyStoppingRounds})");
        Require(o.Threads is null or >= 1, $"{name(nameof(o.Threads))} must be at least 1 (got {o.Threads})");
        Require(Enum.IsDefined(o.Device), $"{name(nameof(o.Device))} {o.Device} is not a known device");
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
