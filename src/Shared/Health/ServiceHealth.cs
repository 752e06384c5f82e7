using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Fraud.Streaming.Shared.Health;

/// <summary>
/// <c>/healthz</c> (liveness: restart me if this fails) and <c>/readyz</c> (readiness: send me work) through ASP.NET
/// Core health checks, one check tagged for each. The body is the check's description in plain text ("ok",
/// "ready: 12 partitions", "no model yet"), as probes, scripts and people read it; the status code is 200 when healthy
/// and 503 when not.
/// </summary>
public static class ServiceHealth
{
    /// <summary>The liveness path.</summary>
    public const string LivePath = "/healthz";

    /// <summary>The readiness path.</summary>
    public const string ReadyPath = "/readyz";

    private const string Live = "live";
    private const string Ready = "ready";

    /// <summary>Registers the service's liveness and readiness checks, each resolving what it reads from the container.</summary>
    public static IServiceCollection AddServiceHealth(this IServiceCollection services,
        Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> live,
        Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> ready)
    {
        services.AddHealthChecks()
            .Add(new HealthCheckRegistration(Live, sp => new ServiceCheck(sp, live), HealthStatus.Unhealthy, [Live]))
            .Add(new HealthCheckRegistration(Ready, sp => new ServiceCheck(sp, ready), HealthStatus.Unhealthy, [Ready]));
        // Probes poll often and read the answer themselves: a not-ready answer is not worth an error line each time.
        services.AddLogging(logging => logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical));
        return services;
    }

    /// <summary>Serves <see cref="LivePath"/> and <see cref="ReadyPath"/> from the checks <see cref="AddServiceHealth"/> registered.</summary>
    public static IEndpointRouteBuilder MapServiceHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, OptionsFor(Live));
        endpoints.MapHealthChecks(ReadyPath, OptionsFor(Ready));
        return endpoints;
    }

    private static HealthCheckOptions OptionsFor(string tag) => new()
    {
        Predicate = registration => registration.Tags.Contains(tag),
        ResponseWriter = WriteDescription,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };

    private static Task WriteDescription(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var text = string.Join("; ", report.Entries.Values.Select(entry => entry.Description ?? entry.Status.ToString()));
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    private sealed class ServiceCheck(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task<HealthCheckResult>> check) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            check(services, cancellationToken);
    }
}
