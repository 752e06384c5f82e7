namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// Monitoring's request for a new model, published on <c>fraud.retrain-requests</c> (key = <see cref="ModelName"/>) when
/// the serving model's drift or live quality crossed a configured limit, and recorded in Postgres
/// (<c>retrain_requests</c>), where the trainer's next scheduled run finds it, trains at once and closes it with the
/// version it produced.
/// </summary>
public sealed record RetrainRequest
{
    /// <summary>The request's row in <c>retrain_requests</c>.</summary>
    public required long RequestId { get; init; }

    public required string ModelName { get; init; }

    /// <summary>The version serving when the limit was crossed.</summary>
    public required string ModelVersion { get; init; }

    /// <summary><c>drift</c> or <c>quality</c>.</summary>
    public required string Trigger { get; init; }

    /// <summary>Which signal crossed which limit, with its value, in one line.</summary>
    public required string Reason { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }
}
