using System.Net;
using Fraud.Streaming.Shared.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fraud.Streaming.Shared.Tests.Health;

public sealed class ServiceHealthTests
{
    [Fact]
    public async Task A_service_that_is_not_ready_answers_503_on_readyz_and_200_on_healthz()
    {
        var ready = false;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddServiceHealth(
            (_, _) => Task.FromResult(HealthCheckResult.Healthy("ok")),
            (_, _) => Task.FromResult(ready ? HealthCheckResult.Healthy("ready: 3 partitions") : HealthCheckResult.Unhealthy("no partitions assigned")));
        await using var app = builder.Build();
        app.MapServiceHealth();
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        await AssertAnswer(http, "/readyz", HttpStatusCode.ServiceUnavailable, "no partitions assigned");
        await AssertAnswer(http, "/healthz", HttpStatusCode.OK, "ok");

        ready = true;
        await AssertAnswer(http, "/readyz", HttpStatusCode.OK, "ready: 3 partitions");
        await app.StopAsync();
    }

    [Fact]
    public async Task A_service_that_is_not_alive_answers_503_on_healthz_with_the_reason()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddServiceHealth(
            (_, _) => Task.FromResult(HealthCheckResult.Unhealthy("faulted: broker gone")),
            (_, _) => Task.FromResult(HealthCheckResult.Unhealthy("not ready")));
        await using var app = builder.Build();
        app.MapServiceHealth();
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        await AssertAnswer(http, "/healthz", HttpStatusCode.ServiceUnavailable, "faulted: broker gone");
        await app.StopAsync();
    }

    private static async Task AssertAnswer(HttpClient http, string path, HttpStatusCode code, string body)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(code, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }
}
