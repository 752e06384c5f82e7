using System.Diagnostics;
using Polly;
using Polly.Retry;

namespace Fraud.Streaming.Monitoring.History;

/// <summary>
/// Writes a batch to history, whatever is wrong with it. A transient failure (network, the database down or
/// restarting) is retried with jittered exponential backoff (Polly) until it succeeds or the write is cancelled; a
/// permanent one (a row the database can never store) is isolated by splitting the batch in halves until the refused
/// rows stand alone, and those go to <c>dead_letters</c> with the database's reason while every other row is written.
/// A batch of n rows with k bad ones costs about 2k·log2(n) extra transactions.
/// </summary>
internal sealed class BatchWriter(HistoryWriter writer, ConsumerReadiness readiness, ILogger<BatchWriter> logger)
{
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(PostgresFailure.IsTransient),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(10),
            MaxRetryAttempts = int.MaxValue,
            OnRetry = args =>
            {
                var reason = PostgresFailure.Describe(args.Outcome.Exception!);
                MonitoringMetrics.WriteFailures.Inc();
                readiness.WriteFailing(reason);
                MonitoringLog.WriteFailed(logger, args.AttemptNumber + 1, args.RetryDelay, reason);
                return default;
            },
        })
        .Build();

    /// <summary>Writes the messages, retrying transient failures until <paramref name="cancellationToken"/> fires.</summary>
    /// <exception cref="OperationCanceledException">given up (shutdown, or the partitions went elsewhere); nothing is committed.</exception>
    public WriteResult Write(IReadOnlyList<HistoryMessage> messages, CancellationToken cancellationToken)
    {
        readiness.WriteStarted();
        try
        {
            return _retry.Execute(token => Isolate(messages, token), cancellationToken);
        }
        finally
        {
            readiness.WriteFinished();
        }
    }

    private WriteResult Isolate(IReadOnlyList<HistoryMessage> messages, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var started = Stopwatch.GetTimestamp();
            var written = writer.Write(HistoryRows.From(messages));
            MonitoringMetrics.WriteSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            return written;
        }
        catch (Exception ex) when (PostgresFailure.IsPermanent(ex))
        {
            if (messages.Count == 1)
            {
                var refused = messages[0].DeadLetter(DeadLetter.DatabaseRefused, PostgresFailure.Describe(ex));
                MonitoringLog.RowRefused(logger, refused.Source.ToString(), refused.Detail);
                return writer.Write(HistoryRows.From([new HistoryMessage { Source = refused.Source, Payload = refused.Payload, Refused = refused }]));
            }
            var half = messages.Count / 2;
            var list = messages as List<HistoryMessage> ?? [.. messages];
            return Isolate(list.GetRange(0, half), cancellationToken) + Isolate(list.GetRange(half, list.Count - half), cancellationToken);
        }
    }
}
