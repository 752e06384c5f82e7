using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fraud.Streaming.Shared.Telemetry;

/// <summary>
/// Tracing for every deployable, configured the standard way, by the <c>OTEL_*</c> environment variables: off unless an
/// OTLP endpoint is set (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>), and off
/// whatever is set when <c>OTEL_SDK_DISABLED=true</c> or <c>OTEL_TRACES_EXPORTER=none</c>. The exporter reads its
/// protocol, headers and timeouts from the same variables, the batch processor its delay and sizes
/// (<c>OTEL_BSP_*</c>), the sampler <c>OTEL_TRACES_SAMPLER</c> / <c>_ARG</c> (default: parent-based, always on),
/// the resource <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c>. With tracing off no span is started
/// and no header is read or written: the hot paths pay one <see cref="ActivitySource.HasListeners"/> check per batch.
/// </summary>
public static class Tracing
{
    /// <summary>True when the environment asks for traces to be exported.</summary>
    public static bool IsEnabled(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (IsTrue(environment("OTEL_SDK_DISABLED")) || string.Equals(environment("OTEL_TRACES_EXPORTER")?.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return !string.IsNullOrWhiteSpace(environment("OTEL_EXPORTER_OTLP_ENDPOINT"))
            || !string.IsNullOrWhiteSpace(environment("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
    }

    /// <summary>A hosted service's tracing, when the environment enables it: its sources, exported over OTLP.</summary>
    public static IServiceCollection AddTracing(this IServiceCollection services, string serviceName, params ActivitySource[] sources)
    {
        if (IsEnabled())
        {
            services.AddOpenTelemetry()
                .ConfigureResource(resource => Describe(resource, serviceName))
                .WithTracing(tracing => Configure(tracing, sources));
        }
        return services;
    }

    /// <summary>A command's tracing, when the environment enables it; dispose it at the end to export what is left.</summary>
    public static TracerProvider? StartForCommand(string serviceName, params ActivitySource[] sources)
    {
        if (!IsEnabled())
        {
            return null;
        }
        var builder = Sdk.CreateTracerProviderBuilder().ConfigureResource(resource => Describe(resource, serviceName));
        Configure(builder, sources);
        return builder.Build();
    }

    private static void Configure(TracerProviderBuilder tracing, ActivitySource[] sources)
    {
        foreach (var source in sources)
        {
            tracing.AddSource(source.Name);
        }
        tracing.AddOtlpExporter();
    }

    /// <summary>The service's name, unless <c>OTEL_SERVICE_NAME</c> gives another (the default detectors read it).</summary>
    private static void Describe(ResourceBuilder resource, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
        {
            resource.AddService(serviceName, serviceVersion: typeof(Tracing).Assembly.GetName().Version?.ToString());
        }
    }

    private static bool IsTrue(string? value) => bool.TryParse(value?.Trim(), out var flag) && flag;
}
