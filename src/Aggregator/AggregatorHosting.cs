using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
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
        app.MapGet("/healthz", (AggregatorStatus status) => status.IsHealthy
            ? Results.Text("ok")
            : Results.Text($"faulted: {status.Fault?.Message}", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/readyz", (AggregatorStatus status) => status.IsReady
            ? Results.Text($"ready: {status.Assigned} partitions")
            : Results.Text(status.Assigned == 0 ? "no partitions assigned" : $"rebuilding {status.Replaying} of {status.Assigned} partitions",
                statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
