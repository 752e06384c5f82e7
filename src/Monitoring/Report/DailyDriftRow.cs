namespace Fraud.Streaming.Monitoring.Report;

/// <summary>A day's drift of one model version: the score's index, the worst feature's, and the highest unseen rate.</summary>
internal sealed class DailyDriftRow
{
    public string ModelVersion { get; set; } = "";
    public DateTime Day { get; set; }
    public long Transactions { get; set; }
    public double ScorePsi { get; set; }
    public string WorstFeature { get; set; } = "";
    public double WorstFeaturePsi { get; set; }
    public string WorstUnseenField { get; set; } = "";
    public double WorstUnseenRate { get; set; }
}
