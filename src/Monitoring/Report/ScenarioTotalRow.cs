namespace Fraud.Streaming.Monitoring.Report;

/// <summary>A scenario's frauds and catches over the report's days, per model version and source.</summary>
internal sealed class ScenarioTotalRow
{
    public string Source { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public string Scenario { get; set; } = "";
    public long Frauds { get; set; }
    public long ReviewCaught { get; set; }
    public long DeclineCaught { get; set; }
    public double FraudAmount { get; set; }
    public double CaughtAmount { get; set; }
}
