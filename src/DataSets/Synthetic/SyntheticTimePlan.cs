using System.Globalization;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.DataSets.Synthetic;

/// <summary>
/// How far in event time a synthetic run will go, checked before it starts: every transaction and label it makes must
/// lie within the consumers' window (no later than now plus <c>Validation:MaxFutureSkew</c>), or the consumers would
/// dead-letter them. The synthetic world starts at a fixed instant (<see cref="SyntheticSettings.Start"/>) and event
/// time runs at a fixed pace (<see cref="SyntheticSettings.MeanGapSeconds"/>, or the span over the count), so a long or
/// fast run can run past the present; the check says so and how to fix it, instead of publishing what will be refused.
/// </summary>
public static class SyntheticTimePlan
{
    /// <summary>The generator's pace varies (a Poisson process): the plan allows this much more.</summary>
    private const double Slack = 1.01;

    /// <summary>The latest event time and label time of a run of <paramref name="transactions"/> transactions.</summary>
    public static (DateTimeOffset LastEvent, DateTimeOffset LastLabel) Of(SyntheticSettings settings, long transactions)
    {
        var gapSeconds = settings.MeanGapSeconds ?? settings.SpanDays * 86_400 / settings.Count;
        var span = TimeSpan.FromSeconds(Math.Min(transactions * gapSeconds * Slack, TimeSpan.MaxValue.TotalSeconds / 4));
        var lastEvent = Add(Add(settings.Start, span), SyntheticGenerator.LongestScenario);
        return (lastEvent, Add(lastEvent, TimeSpan.FromDays(SyntheticGenerator.MaturityDays)));
    }

    /// <summary>Why a run of <paramref name="transactions"/> would leave the window, or null when it stays inside.</summary>
    public static string? Problem(SyntheticSettings settings, long transactions, TimeSpan maxFutureSkew, DateTimeOffset now)
    {
        if (settings.Start < ContractLimits.TimeFloor)
        {
            return string.Create(CultureInfo.InvariantCulture, $"--start {settings.Start:O} is before {ContractLimits.TimeFloor:O}, which consumers refuse");
        }
        var (_, lastLabel) = Of(settings, transactions);
        var latest = EventTimeWindow.At(now, maxFutureSkew).Latest;
        if (lastLabel <= latest)
        {
            return null;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"this run's event times reach {lastLabel:yyyy-MM-dd} (labels included), past what consumers accept ({latest:yyyy-MM-dd HH:mm}Z: now plus Validation:MaxFutureSkew); start earlier (--start), publish fewer transactions (--count, --duration-seconds, --rate) or run event time slower (--speedup, --span-days)");
    }

    private static DateTimeOffset Add(DateTimeOffset at, TimeSpan span) =>
        at.UtcTicks + span.Ticks >= DateTimeOffset.MaxValue.UtcTicks ? DateTimeOffset.MaxValue : at + span;
}
