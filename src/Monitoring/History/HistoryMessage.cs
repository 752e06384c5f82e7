using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// One consumed message on its way to history: its position, and exactly one of the row it becomes
/// (<see cref="Transaction"/>, <see cref="Verdict"/>, <see cref="Label"/>) or the reason it is refused
/// (<see cref="Refused"/>). The payload is kept so a row the database refuses can be dead-lettered as it came.
/// </summary>
internal sealed class HistoryMessage
{
    public required SourcePosition Source { get; init; }
    public byte[]? Payload { get; init; }
    public Transaction? Transaction { get; init; }
    public Verdict? Verdict { get; init; }
    public Label? Label { get; init; }
    public DeadLetter? Refused { get; init; }

    /// <summary>The message as a dead letter with <paramref name="reason"/>.</summary>
    public DeadLetter DeadLetter(string reason, string detail) => new(Source, reason, detail, Payload);
}
