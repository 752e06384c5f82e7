namespace Fraud.Streaming.Monitoring.Quality;

/// <summary>A day of one model's verdicts: <see cref="Source"/> <c>live</c> (the decisions made) or <c>shadow</c> (the challenger's).</summary>
internal readonly record struct QualityKey(string Source, string ModelVersion, DateOnly Day)
{
    public const string Live = "live";
    public const string Shadow = "shadow";
}
