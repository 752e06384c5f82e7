namespace Fraud.Streaming.Shared.Quality;

/// <summary>Counts at one threshold: a row is flagged when its score is at or above the threshold.</summary>
public readonly record struct Confusion(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);
    public double FalsePositiveRate => FalsePositives + TrueNegatives == 0 ? 0 : (double)FalsePositives / (FalsePositives + TrueNegatives);
}
