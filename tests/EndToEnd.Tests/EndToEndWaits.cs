using System.Net;
using System.Net.Sockets;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.EndToEnd.Tests;

/// <summary>Waiting on deployables run as processes: a condition, an HTTP endpoint, a free port for one.</summary>
internal static class EndToEndWaits
{
    /// <summary>Polls <paramref name="condition"/>; fails at once, with its output, if <paramref name="watched"/> exits meanwhile.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, ProcessRunner watched, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            Assert.False(watched.HasExited, $"{watched.Description} exited while waiting for {what}:\n{watched.Output}");
            await Task.Delay(250);
        }
        Assert.Fail($"timed out after {timeout} waiting for {what}; {watched.Description} printed:\n{watched.Output}");
    }

    /// <summary>True when the URL answers 200; false while the service is not up yet.</summary>
    public static async Task<bool> IsOk(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(url));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
