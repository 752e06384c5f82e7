using System.Diagnostics;
using Fraud.Streaming.Shared.Progress;

namespace Fraud.Streaming.Trainer.Metrics;

/// <summary>One <c>train</c> invocation: the job, then how it ended (and the model it made) pushed to the Pushgateway.</summary>
internal sealed class MeasuredTraining(PushgatewayOptions pushgateway, TextWriter output, TextWriter error)
{
    public async Task<int> RunAsync(TrainSettings settings, ProgressDisplay progress, CancellationToken cancellationToken)
    {
        var metrics = new TrainingMetrics();
        var started = Stopwatch.GetTimestamp();
        var code = await new TrainJob(settings, output, error, progress, metrics).RunAsync(cancellationToken);
        metrics.RunFinished(code, Stopwatch.GetElapsedTime(started), DateTimeOffset.UtcNow);
        await new MetricsPusher(pushgateway, error).PushAsync(settings.ModelName, metrics);
        return code;
    }
}
