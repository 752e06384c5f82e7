using System.Globalization;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Trainer.Scheduling;

/// <summary>
/// The trainer's side of retrain requests: a scheduled run (<c>--schedule-hours</c>) trains at once when a request is
/// open, and otherwise only when the champion is as old as the schedule; any registering run answers the requests open
/// when it started, closing them with the version the data produced (new, or already registered).
/// </summary>
internal sealed class RetrainSchedule(ModelRegistry registry, RetrainRequestStore requests, string modelName)
{
    public async Task<ScheduleDecision> DecideAsync(double? scheduleHours, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await requests.OpenAsync(modelName, cancellationToken);
        if (open.Count > 0)
        {
            var r = open[0];
            return new ScheduleDecision(true, Invariant(
                $"retrain request #{r.Id} ({r.Trigger}, raised {r.RequestedAt:u} while {r.ModelVersion} served): {r.Reason}; training now"), open);
        }
        if (scheduleHours is not { } hours)
        {
            return new ScheduleDecision(true, "", open);
        }
        var champion = await registry.GetChampionAsync(modelName, cancellationToken);
        if (champion is null)
        {
            return new ScheduleDecision(true, $"{modelName} has no champion: training", open);
        }
        var age = now - champion.CreatedAt;
        return age.TotalHours >= hours
            ? new ScheduleDecision(true, Invariant($"champion {champion.Version} is {age.TotalHours:F1} h old, the schedule is every {hours} h: training"), open)
            : new ScheduleDecision(false, Invariant(
                $"not due: champion {champion.Version} is {age.TotalHours:F1} h old, the schedule is every {hours} h, and no retrain request is open"), open);
    }

    /// <returns>the ids closed.</returns>
    public async Task<IReadOnlyList<long>> CloseAsync(ScheduleDecision decision, string version, CancellationToken cancellationToken)
    {
        var ids = decision.Answering.Select(r => r.Id).ToList();
        await requests.CloseAsync(ids, version, cancellationToken);
        return ids;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
