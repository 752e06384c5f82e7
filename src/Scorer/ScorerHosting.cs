using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Health;
using Fraud.Streaming.Shared.Kafka;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Telemetry;
using Fraud.Streaming.Shared.Trust;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Fraud.Streaming.Scorer;

internal static class ScorerHosting
{
    public const string DefaultUrls = "http://127.0.0.1:9401";

    /// <summary>The streaming worker: options, model holder and watcher, scoring loop.</summary>
    public static WebApplicationBuilder AddScorer(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ScorerOptions>().BindConfiguration(ScorerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ValidationOptions>().BindConfiguration(ValidationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<StateOptions>().BindConfiguration(StateOptions.Section).ValidateDataAnnotations()
            .Validate<IOptions<ModelStoreOptions>>(
                (state, store) => !state.IsS3 || !string.IsNullOrWhiteSpace(state.Bucket) || !string.IsNullOrWhiteSpace(store.Value.Bucket),
                "State:Kind s3 needs State:Bucket or ModelStore:Bucket")
            .Validate<IOptions<ScorerOptions>>(
                (state, scorer) => !state.Enabled || state.RestoreTimeoutSeconds * 1000L < scorer.Value.MaxPollIntervalMs,
                "State:RestoreTimeoutSeconds must stay under Scorer:MaxPollIntervalMs: the restore runs inside the consumer's poll")
            .ValidateOnStart();
        builder.Services.AddOptions<DriftOptions>().BindConfiguration(DriftOptions.Section).ValidateDataAnnotations()
            .Validate(d => d.WindowSeconds >= d.WindowSlots, "Drift:WindowSeconds must be at least Drift:WindowSlots (a step of at least a second)")
            .ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ScorerOptions>>((host, scorer) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(scorer.Value.DrainTimeoutSeconds + 5));
        builder.Services.AddSingleton<ModelHolder>();
        builder.Services.AddSingleton<ScorerStatus>();
        builder.Services.AddOptions<ModelStoreOptions>().BindConfiguration(ModelStoreOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ModelStoreOptions>>(new CheckedOptions<ModelStoreOptions>(store => store.Validate()));
        builder.Services.AddSingleton<IValidateOptions<TrustOptions>>(new CheckedOptions<TrustOptions>(trust => TrustedKeys.From(trust)));
        builder.Services.AddOptions<TrustOptions>().BindConfiguration(TrustOptions.Section)
            .Validate<IOptions<ScorerOptions>>((trust, scorer) => trust.HasKeys || trust.AllowUnsigned || !string.IsNullOrWhiteSpace(scorer.Value.InitialModel),
                "Trust: no trusted public key (Trust:PublicKeyFiles:0 or Trust:PublicKeys:0) and no Scorer:InitialModel: this scorer could serve nothing. "
                + "Trust:AllowUnsigned=true obeys unsigned announcements (insecure)")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => TrustedKeys.From(sp.GetRequiredService<IOptions<TrustOptions>>().Value));
        builder.Services.AddSingleton(sp =>
        {
            // Artifacts are fetched by the URI in the announcement, from the configured store only (ModelStore:*).
            var fetcher = new ArtifactFetcher(sp.GetRequiredService<IOptions<ModelStoreOptions>>().Value);
            return new ModelUpdater(
                sp.GetRequiredService<ModelHolder>(),
                sp.GetRequiredService<ILogger<ModelUpdater>>(),
                fetcher.FetchAsync,
                sp.GetRequiredService<IOptions<ScorerOptions>>().Value.FeatureSpec());
        });
        builder.Services.AddSingleton(sp =>
        {
            // The challenger comes from the same configured store, checked the same way, as the champion.
            var fetcher = new ArtifactFetcher(sp.GetRequiredService<IOptions<ModelStoreOptions>>().Value);
            var holder = new ModelHolder();
            return new ShadowModels(holder, new ModelUpdater(
                holder,
                sp.GetRequiredService<ILogger<ModelUpdater>>(),
                fetcher.FetchAsync,
                sp.GetRequiredService<IOptions<ScorerOptions>>().Value.FeatureSpec(),
                challenger: true));
        });
        builder.Services.AddHostedService<ModelWatcher>();
        builder.Services.AddHostedService<ScoringWorker>();
        builder.Services.AddTracing("fraud-scorer", BatchTracing.Source);
        builder.Services.AddServiceHealth(
            (sp, _) => Task.FromResult(Liveness(sp.GetRequiredService<ScorerStatus>())),
            (sp, _) => Task.FromResult(Readiness(sp.GetRequiredService<ScorerStatus>(), sp.GetRequiredService<ModelHolder>())));
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }
        return builder;
    }

    /// <summary><c>/metrics</c>, <c>/healthz</c> (alive, loop not faulted), <c>/readyz</c> (model loaded, partitions assigned).</summary>
    public static WebApplication MapScorerEndpoints(this WebApplication app)
    {
        var scorerStatus = app.Services.GetRequiredService<ScorerStatus>();
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() => ScorerMetrics.Ready.Set(scorerStatus.IsReady ? 1 : 0));
        app.MapMetrics();
        app.MapServiceHealth();
        return app;
    }

    /// <summary>Alive unless the scoring loop faulted.</summary>
    private static HealthCheckResult Liveness(ScorerStatus status) => status.IsHealthy
        ? HealthCheckResult.Healthy("ok")
        : HealthCheckResult.Unhealthy($"faulted: {status.Fault?.Message}");

    /// <summary>Ready with a model, partitions assigned and their card state restored.</summary>
    private static HealthCheckResult Readiness(ScorerStatus status, ModelHolder models) => status.IsReady
        ? HealthCheckResult.Healthy($"ready: {models.CurrentVersion}")
        : HealthCheckResult.Unhealthy(
            status.WaitingForTopics is { Count: > 0 } missing ? RequiredTopics.Describe(missing)
            : models.Current is null ? "no model yet"
            : status.IsRestoring ? "restoring card state"
            : "not ready");

    /// <summary>Builds the worker host from host arguments (<c>--urls</c>, <c>--Kafka:BootstrapServers=...</c>).</summary>
    public static WebApplication Build(string[] args)
    {
        // appsettings.json beside the binary, wherever the command is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddScorer();
        var app = builder.Build();
        app.MapScorerEndpoints();
        return app;
    }
}
