namespace Fraud.Streaming.Shared.Features;

/// <summary>
/// The ranges of the settings that configure a feature spec (and so its hash), for every place that takes them: the
/// scorer's and aggregator's options, the trainer's and <c>score-file</c>'s command lines.
/// </summary>
public static class FeatureSpecLimits
{
    public const int MinCardIdleDays = 1;
    public const int MaxCardIdleDays = 3_650;
    public const int MinEntityLagHours = 1;
    public const int MaxEntityLagHours = 720;
    public const int MinReportHorizonDays = 1;
    public const int MaxReportHorizonDays = 3_650;

    /// <summary>The one message for a value out of its range, or null when it is within.</summary>
    public static string? OutOfRange(string name, int value, int min, int max) =>
        value < min || value > max ? $"{name} must be between {min} and {max}, not {value}" : null;
}
