using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Health;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

namespace Fraud.Streaming.Aggregator;

/// <summary>Wiring of the aggregator: options, the loop, endpoints.</summary>
internal static class AggregatorHosting
{
    public const string DefaultUrls = "http://127.0.0.1:9403";

    public static WebApplicationBuilder AddAggregator(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<AggregatorOptions>().BindConfiguration(AggregatorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ValidationOptions>().BindConfiguration(ValidationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AggregatorStatus>();
        builder.Services.AddHostedService<AggregatorWorker>();
        builder.Services.AddServiceHealth(
            (sp, _) => Task.FromResult(Liveness(sp.GetRequiredService<AggregatorStatus>())),
            (sp, _) => Task.FromResult(Readiness(sp.GetRequiredService<AggregatorStatus>())));
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }
        return builder;
    }

    /// <summary><c>/metrics</c>, <c>/healthz</c> (loop not faulted), <c>/readyz</c> (partitions owned and rebuilt).</summary>
    public static WebApplication MapAggregatorEndpoints(this WebApplication app)
    {
        app.MapMetrics();
        app.MapServiceHealth();
        return app;
    }

    private static HealthCheckResult Liveness(AggregatorStatus status) => status.IsHealthy
        ? HealthCheckResult.Healthy("ok")
        : HealthCheckResult.Unhealthy($"faulted: {status.Fault?.Message}");

    private static HealthCheckResult Readiness(AggregatorStatus status) => status.IsReady
        ? HealthCheckResult.Healthy($"ready: {status.Assigned} partitions")
        : HealthCheckResult.Unhealthy(status.Assigned == 0 ? "no partitions assigned" : $"rebuilding {status.Replaying} of {status.Assigned} partitions");
}
