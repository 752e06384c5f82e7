using System.Net.Http.Headers;

namespace Fraud.Streaming.Trainer.Metrics;

/// <summary>
/// Pushes a <see cref="TrainingMetrics"/> to the Pushgateway group <c>job/{Job}/model/{model}</c> with POST, which
/// replaces only the metric names pushed: a run that trained nothing keeps the last model's series there. A failed
/// push is a warning on the error stream, never a failed run.
/// </summary>
internal sealed class MetricsPusher(PushgatewayOptions options, TextWriter error)
{
    public async Task PushAsync(string modelName, TrainingMetrics metrics)
    {
        if (!options.Enabled)
        {
            return;
        }
        var url = GroupUrl(options, modelName);
        try
        {
            // Not the run's token: a run stopped by SIGTERM still reports how it ended, within the timeout.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
            using var body = new MemoryStream();
            await metrics.ExportAsync(body, timeout.Token);
            body.Position = 0;
            using var content = new StreamContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain; version=0.0.4");
            using var http = new HttpClient();
            using var response = await http.PostAsync(url, content, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                TrainerLog.MetricsPushFailed(TrainerLog.For(error), url.ToString(), $"{(int)response.StatusCode} {text.Trim()}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            TrainerLog.MetricsPushFailed(TrainerLog.For(error), url.ToString(), ex.Message);
        }
    }

    /// <summary>The Pushgateway URL of the group for a model: job and model name as path segments.</summary>
    public static Uri GroupUrl(PushgatewayOptions options, string modelName) =>
        new($"{options.Url!.TrimEnd('/')}/metrics/job/{Uri.EscapeDataString(options.Job)}/model/{Uri.EscapeDataString(modelName)}");
}
