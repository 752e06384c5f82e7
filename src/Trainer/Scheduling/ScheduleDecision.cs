using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Trainer.Scheduling;

/// <summary>Whether a run trains, why (one line), and the open retrain requests it answers.</summary>
internal sealed record ScheduleDecision(bool Train, string Why, IReadOnlyList<RetrainRequestRow> Answering);
