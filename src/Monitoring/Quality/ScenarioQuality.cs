namespace Fraud.Streaming.Monitoring.Quality;

/// <summary>One fraud scenario's known frauds and how many of them (and how much money) the model reviewed or declined.</summary>
internal sealed record ScenarioQuality(string Scenario, long Frauds, long ReviewCaught, long DeclineCaught, double FraudAmount, double CaughtAmount)
{
    public double? Recall => Frauds == 0 ? null : (double)ReviewCaught / Frauds;
}
