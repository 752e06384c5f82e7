using Fraud.Streaming.Monitoring.Drift;
using Fraud.Streaming.Monitoring.Quality;
using Fraud.Streaming.Monitoring.Retraining;
using Fraud.Streaming.Monitoring.Signals;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Monitoring;

/// <summary>Wiring of what watches the model beside the history: drift reports, shadow verdicts, live quality, retrain requests.</summary>
internal static class ModelWatchHosting
{
    public static WebApplicationBuilder AddModelWatch(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<QualityOptions>().BindConfiguration(QualityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetrainOptions>().BindConfiguration(RetrainOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReferenceCache>();
        services.AddSingleton<DriftStore>();
        services.AddSingleton<ShadowVerdictWriter>();
        services.AddSingleton<RetrainRequestStore>();
        services.AddSingleton<RetrainRequester>();
        services.AddSingleton<RetrainPolicy>();
        services.AddSingleton<QualityReader>();
        services.AddSingleton<QualityWriter>();
        services.AddHostedService<SignalsConsumerService>();
        services.AddHostedService<QualityService>();
        return builder;
    }
}
