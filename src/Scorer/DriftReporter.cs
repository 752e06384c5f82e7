using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The scoring loop's drift duties: counts each scored batch (<see cref="DriftMonitor"/>) and, every
/// <see cref="DriftOptions.ReportSeconds"/>, updates the gauges and publishes the reports on the drift topic. Reports
/// are best effort: a failed delivery is counted, never holds up or fails a batch of verdicts.
/// </summary>
internal sealed class DriftReporter(DriftOptions options, string topic, ILogger logger)
{
    private readonly DriftMonitor _monitor = new(options, $"{Environment.MachineName}-{Guid.NewGuid():N}");
    private readonly long _interval = Stopwatch.Frequency * options.ReportSeconds;
    private long _next;
    private string? _announcedUnavailable;

    public string Source => _monitor.Source;

    public void Observe(LoadedModel model, BatchScorer batch)
    {
        if (model.Drift is null && _announcedUnavailable != model.Version)
        {
            _announcedUnavailable = model.Version;
            ScorerLog.DriftUnavailable(logger, model.Version, model.DriftUnavailable ?? "no reference");
        }
        _monitor.Observe(model, batch, Stopwatch.GetTimestamp());
    }

    /// <summary>Between batches: reports when the interval has passed.</summary>
    public void ReportIfDue(IProducer<byte[], byte[]> producer)
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _next)
        {
            return;
        }
        _next = now + _interval;
        var key = Encoding.UTF8.GetBytes(_monitor.Source);
        foreach (var report in _monitor.Report(now, DateTimeOffset.UtcNow))
        {
            try
            {
                producer.Produce(topic, new Message<byte[], byte[]> { Key = key, Value = ContractJson.Serialize(report) }, Delivered);
            }
            catch (KafkaException ex)
            {
                ScorerMetrics.DriftReports.WithLabels("failed").Inc();
                ScorerLog.KafkaError(logger, "drift report", ex.Error.Reason);
            }
        }
    }

    private static void Delivered(DeliveryReport<byte[], byte[]> report) =>
        ScorerMetrics.DriftReports.WithLabels(report.Error.IsError ? "failed" : "delivered").Inc();
}
