namespace Fraud.Streaming.Monitoring.Quality;

/// <summary>
/// The matured window's quality as gauges, per model version and source. A (version, source) no longer in the window
/// loses its series, so dashboards do not show a retired model's last figures forever.
/// </summary>
internal sealed class QualityGauges
{
    private HashSet<(string Version, string Source)> _shown = [];
    private HashSet<(string Version, string Source, string Scenario)> _scenarios = [];

    public void Show(IReadOnlyDictionary<(string Version, string Source), QualitySummary> windows)
    {
        var shown = new HashSet<(string, string)>();
        var scenarios = new HashSet<(string, string, string)>();
        foreach (var ((version, source), q) in windows)
        {
            shown.Add((version, source));
            Set(MonitoringMetrics.QualityRocAuc, q.RocAuc, version, source);
            Set(MonitoringMetrics.QualityPrAuc, q.PrAuc, version, source);
            Set(MonitoringMetrics.QualityPrecision, q.PrecisionReview, version, source, "review");
            Set(MonitoringMetrics.QualityPrecision, q.PrecisionDecline, version, source, "decline");
            Set(MonitoringMetrics.QualityRecall, q.RecallReview, version, source, "review");
            Set(MonitoringMetrics.QualityRecall, q.RecallDecline, version, source, "decline");
            MonitoringMetrics.QualityFraudAmount.WithLabels(version, source).Set(q.FraudAmount);
            MonitoringMetrics.QualityCaughtAmount.WithLabels(version, source).Set(q.CaughtAmount);
            MonitoringMetrics.QualityFalseDeclines.WithLabels(version, source).Set(q.FalseDeclines);
            MonitoringMetrics.QualityFrauds.WithLabels(version, source).Set(q.KnownFraud);
            foreach (var s in q.Scenarios)
            {
                scenarios.Add((version, source, s.Scenario));
                Set(MonitoringMetrics.QualityScenarioRecall, s.Recall, version, source, s.Scenario);
            }
        }
        foreach (var (version, source) in _shown.Except(shown))
        {
            foreach (var gauge in new[] { MonitoringMetrics.QualityRocAuc, MonitoringMetrics.QualityPrAuc, MonitoringMetrics.QualityFraudAmount,
                         MonitoringMetrics.QualityCaughtAmount, MonitoringMetrics.QualityFalseDeclines, MonitoringMetrics.QualityFrauds })
            {
                gauge.RemoveLabelled(version, source);
            }
            foreach (var threshold in (string[])["review", "decline"])
            {
                MonitoringMetrics.QualityPrecision.RemoveLabelled(version, source, threshold);
                MonitoringMetrics.QualityRecall.RemoveLabelled(version, source, threshold);
            }
        }
        foreach (var (version, source, scenario) in _scenarios.Except(scenarios))
        {
            MonitoringMetrics.QualityScenarioRecall.RemoveLabelled(version, source, scenario);
        }
        _shown = shown;
        _scenarios = scenarios;
    }

    /// <summary>An undefined figure (no fraud, or one class only) has no series rather than a made-up zero.</summary>
    private static void Set(Prometheus.Gauge gauge, double? value, params string[] labels)
    {
        if (value is { } v)
        {
            gauge.WithLabels(labels).Set(v);
        }
        else
        {
            gauge.RemoveLabelled(labels);
        }
    }
}
