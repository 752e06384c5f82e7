using System.Globalization;
using Fraud.Streaming.Gbdt;
using Fraud.Streaming.Shared.Progress;

namespace Fraud.Streaming.Trainer.Training;

/// <summary>Boosting rounds to the progress display: round, logloss on train and validation, elapsed and ETA.</summary>
internal sealed class RoundProgress(ProgressDisplay display) : IProgress<GbdtRound>
{
    public void Report(GbdtRound value) =>
        display.ReportThrottled(() => Format(value), force: value.Round == 1 || value.Round == value.TotalRounds);

    internal static string Format(GbdtRound r)
    {
        var perRound = r.Elapsed.TotalSeconds / Math.Max(1, r.Round);
        var eta = perRound * Math.Max(0, r.TotalRounds - r.Round);
        var validation = r.ValidationLogLoss is { } v ? string.Create(CultureInfo.InvariantCulture, $" | validation logloss {v:F5}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"round {r.Round}/{r.TotalRounds} | train logloss {r.TrainLogLoss:F5}{validation} | {r.Elapsed.TotalSeconds:F1} s | ETA {eta:F1} s");
    }
}
