namespace Fraud.Streaming.DataSets.Replay;

/// <summary>A row that could not be replayed: where it is in its file and why.</summary>
public readonly record struct ReplayError(string File, long Line, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Reason}";
}

/// <summary>Thrown under <c>--on-error fail</c> at the first malformed row.</summary>
public sealed class ReplayFailedException(ReplayError error) : Exception(error.ToString())
{
    public ReplayError Error { get; } = error;
}
