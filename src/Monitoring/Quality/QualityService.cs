using Fraud.Streaming.Monitoring.Retraining;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fraud.Streaming.Monitoring.Quality;

/// <summary>
/// Live quality as labels arrive. Every <see cref="QualityOptions.IntervalSeconds"/> a pass takes the history's clock (its
/// newest event time), recomputes the days whose verdicts or labels changed since the last pass and the days that
/// matured since, per model version and source (<see cref="QualitySummary"/>, written by <see cref="QualityWriter"/>),
/// then, when the matured window moved or changed, its quality per version as gauges, and asks the retrain policy about
/// the serving version. The first pass after a start covers the whole window and every younger day.
/// </summary>
internal sealed class QualityService(
    IOptions<QualityOptions> qualityOptions,
    QualityReader reader,
    QualityWriter writer,
    RetrainPolicy retrain,
    RetrainRequester requester,
    ILogger<QualityService> logger) : BackgroundService
{
    // Rows are stamped with their transaction's start time and become visible at commit: look back this far for stragglers.
    private static readonly TimeSpan CommitSlack = TimeSpan.FromSeconds(60);
    private readonly QualityOptions _options = qualityOptions.Value;
    private readonly QualityGauges _gauges = new();
    private DateTimeOffset? _lastPassStarted;
    private DateOnly? _lastMatured;

    private TimeSpan Maturity => TimeSpan.FromDays(_options.MaturityDays);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.IntervalSeconds));
        do
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                MonitoringMetrics.QualityPassFailures.Inc();
                MonitoringLog.QualityPassFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass; public for tests, which drive passes themselves.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        if (await reader.AsOfAsync(cancellationToken) is not { } asOf)
        {
            return;
        }
        MonitoringMetrics.QualityAsOf.Set(asOf.ToUnixTimeMilliseconds() / 1000d);
        var lastMatured = DateOnly.FromDateTime((asOf - Maturity).UtcDateTime).AddDays(-1);
        var windowStart = lastMatured.AddDays(1 - _options.WindowDays);
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);

        IEnumerable<QualityKey> keys;
        if (_lastPassStarted is not { } since || _lastMatured is not { } previous)
        {
            keys = await reader.PresentAsync(windowStart, today.AddDays(1), cancellationToken);
        }
        else
        {
            keys = await reader.ChangedSinceAsync(since - CommitSlack, cancellationToken);
            if (lastMatured > previous)
            {
                keys = keys.Concat(await reader.PresentAsync(previous.AddDays(1), lastMatured.AddDays(1), cancellationToken));
            }
        }
        var dirty = keys.Distinct().ToList();
        foreach (var key in dirty)
        {
            var rows = await reader.RowsAsync(key.Source, key.ModelVersion, key.Day, key.Day.AddDays(1), asOf, Maturity, cancellationToken);
            await writer.WriteAsync(key, QualitySummary.Of(rows, matured: key.Day <= lastMatured), asOf, cancellationToken);
            MonitoringMetrics.QualityDaysComputed.WithLabels(key.Source).Inc();
        }
        if (_lastMatured != lastMatured || dirty.Any(k => k.Day >= windowStart && k.Day <= lastMatured))
        {
            await WindowAsync(windowStart, lastMatured, asOf, cancellationToken);
        }
        await requester.RefreshOpenAsync(cancellationToken);
        MonitoringLog.QualityPass(logger, asOf, dirty.Count, windowStart, lastMatured);
        _lastPassStarted = started;
        _lastMatured = lastMatured;
    }

    private async Task WindowAsync(DateOnly windowStart, DateOnly lastMatured, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var windows = new Dictionary<(string, string), QualitySummary>();
        foreach (var (source, version) in (await reader.PresentAsync(windowStart, lastMatured.AddDays(1), cancellationToken))
                     .Select(k => (k.Source, k.ModelVersion)).Distinct())
        {
            var rows = await reader.RowsAsync(source, version, windowStart, lastMatured.AddDays(1), asOf, Maturity, cancellationToken);
            windows[(version, source)] = QualitySummary.Of(rows, matured: true);
        }
        _gauges.Show(windows);
        if (await reader.ServingVersionAsync(cancellationToken) is { } serving && windows.TryGetValue((serving, QualityKey.Live), out var window))
        {
            await retrain.OnQualityAsync(serving, window, cancellationToken);
        }
    }
}
