using Fraud.Streaming.Monitoring.History;
using Fraud.Streaming.Monitoring.Quality;
using Fraud.Streaming.Monitoring.Retraining;
using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Health;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Postgres;
using Fraud.Streaming.Shared.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Prometheus;

namespace Fraud.Streaming.Monitoring;

/// <summary>Wiring of the monitoring service: options, the history consumer, endpoints, schema at start.</summary>
internal static class MonitoringHost
{
    public const string DefaultUrl = "http://127.0.0.1:9402";

    public static WebApplicationBuilder AddMonitoring(this WebApplicationBuilder builder)
    {
        // --urls and ASPNETCORE_URLS both land in "urls"; only without either do we pick the port.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        MonitoringMetrics.Initialize();
        var services = builder.Services;
        services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PostgresOptions>().BindConfiguration(PostgresOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ValidationOptions>().BindConfiguration(ValidationOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString));
        services.AddSingleton<HistoryWriter>();
        services.AddSingleton<BatchWriter>();
        services.AddSingleton<ConsumerReadiness>();
        services.AddHostedService<HistoryConsumerService>();
        services.AddTracing("fraud-monitoring", HistoryTracing.Source);
        services.AddServiceHealth(
            (_, _) => Task.FromResult(HealthCheckResult.Healthy("ok")),
            (sp, cancellationToken) => ReadinessAsync(sp.GetRequiredService<ConsumerReadiness>(), sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<IOptions<MonitoringOptions>>(), cancellationToken));
        builder.AddModelWatch();
        return builder;
    }

    public static WebApplication MapMonitoringEndpoints(this WebApplication app)
    {
        app.MapServiceHealth();
        app.MapMetrics("/metrics");
        return app;
    }

    /// <summary>Applies the schema, then runs until stopped. A bad setting or an unreachable database ends the process with one clear line.</summary>
    public static async Task<int> RunMonitoringAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Fraud.Streaming.Monitoring");
        string connectionString;
        try
        {
            connectionString = app.Services.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString;
            _ = app.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<MonitoringOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<QualityOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<RetrainOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<ValidationOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            MonitoringLog.ConfigurationInvalid(logger, ex.Message);
            return ExitCodes.BadUsage;
        }

        var database = PostgresAddress.Describe(connectionString);
        try
        {
            SchemaMigrator.Apply(connectionString);
            MonitoringLog.SchemaApplied(logger, database);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or ArgumentException or TimeoutException)
        {
            MonitoringLog.SchemaFailed(logger, database, Innermost(ex).Message);
            return ExitCodes.PostgresUnavailable;
        }

        await app.RunAsync();
        return Environment.ExitCode;
    }

    /// <summary>Ready with partitions owned, no stuck or failing write, and the database answering.</summary>
    private static async Task<HealthCheckResult> ReadinessAsync(ConsumerReadiness readiness, NpgsqlDataSource dataSource, IOptions<MonitoringOptions> options,
        CancellationToken cancellationToken)
    {
        if (readiness.WaitingForTopics is { Count: > 0 } missing)
        {
            return HealthCheckResult.Unhealthy(RequiredTopics.Describe(missing));
        }
        if (readiness.AssignedPartitions == 0)
        {
            return HealthCheckResult.Unhealthy("no partitions assigned");
        }
        if (readiness.WriteProblem(options.Value.WriteStuckAfter) is { } problem)
        {
            return HealthCheckResult.Unhealthy(problem);
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"database unreachable: {ex.Message}");
        }
        return HealthCheckResult.Healthy($"ready: {readiness.AssignedPartitions} partitions");
    }


    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }
        return ex;
    }
}
