namespace Fraud.Streaming.Monitoring.Report;

/// <summary>One row of <c>quality_daily</c> as the report reads it. A class with setters so Dapper maps it by column name.</summary>
internal sealed class DailyQualityRow
{
    public string Source { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public DateTime Day { get; set; }
    public long Transactions { get; set; }
    public long KnownFraud { get; set; }
    public long KnownGenuine { get; set; }
    public long Unknown { get; set; }
    public long ReviewFlagged { get; set; }
    public long DeclineFlagged { get; set; }
    public long FalseDeclines { get; set; }
    public double? PrecisionReview { get; set; }
    public double? RecallReview { get; set; }
    public double? PrecisionDecline { get; set; }
    public double? RecallDecline { get; set; }
    public double? RocAuc { get; set; }
    public double? PrAuc { get; set; }
    public double FraudAmount { get; set; }
    public double CaughtAmount { get; set; }
    public bool Matured { get; set; }
}
