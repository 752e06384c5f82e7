using System.Diagnostics;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Telemetry;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The scorer's spans, per micro-batch: one <c>{transactions} process</c> span (a new trace, linked to the publish
/// span of each traced transaction), and per traced transaction a <c>{verdicts} publish</c> span, the child of the
/// transaction's own publish span, whose context the verdict carries on. So one transaction's trace runs from its
/// publish through its verdict to Monitoring's history row, and the batch that scored it is one link away.
/// Only transactions published in a sampled trace get a verdict span: the others cost nothing past their header.
/// With tracing off (<see cref="Tracing"/>), nothing is read or recorded: one listener check per batch.
/// </summary>
internal sealed class BatchTracing(int capacity, string transactionsTopic, string verdictsTopic, string consumerGroup)
{
    public static readonly ActivitySource Source = new("Fraud.Streaming.Scorer");

    private readonly ActivityContext[] _parents = new ActivityContext[capacity];
    private readonly List<ActivityLink> _links = new(MessagingSpans.MaxLinks);
    private bool _on;
    private Activity? _process;

    /// <summary>Call with the batch's first message: whether this batch is traced.</summary>
    public void BatchStarted() => _on = Source.HasListeners();

    /// <summary>The context the transaction in <paramref name="row"/> was published in.</summary>
    public void Arrived(int row, Headers? headers)
    {
        if (_on)
        {
            _parents[row] = KafkaTraceContext.Extract(headers);
        }
    }

    /// <summary>Starts the batch's process span, linked to each sampled transaction's publish span.</summary>
    public void StartProcess(int rows, string modelVersion)
    {
        if (!_on)
        {
            return;
        }
        _links.Clear();
        for (var i = 0; i < rows && _links.Count < MessagingSpans.MaxLinks; i++)
        {
            if (KafkaTraceContext.IsSampled(_parents[i]))
            {
                _links.Add(new ActivityLink(_parents[i]));
            }
        }
        // A trace of its own: not the child of the span current on this thread (the batch before, awaiting its commit, when
        // batches overlap), and not left current for the next batch to nest under.
        var current = Activity.Current;
        Activity.Current = null;
        _process = MessagingSpans.StartProcess(Source, transactionsTopic, consumerGroup, links: _links);
        Activity.Current = current;
        _process?.SetTag("messaging.batch.message_count", rows).SetTag("fraud.model.version", modelVersion);
    }

    /// <summary>
    /// Records the publish span of the verdict in <paramref name="row"/> and returns headers carrying its context;
    /// null when its transaction was not traced.
    /// </summary>
    public Headers? VerdictHeaders(int row, in TransactionFields transaction)
    {
        if (!_on || !KafkaTraceContext.IsSampled(_parents[row]))
        {
            return null;
        }
        ActivityLink[]? batch = _process is null ? null : [new ActivityLink(_process.Context)];
        using var publish = MessagingSpans.StartPublish(Source, verdictsTopic, _parents[row], batch);
        publish?.SetTag("fraud.transaction_id", transaction.TransactionId.Text);
        return KafkaTraceContext.HeadersFor(publish);
    }

    /// <summary>Ends the batch's span (its verdicts acknowledged and its offsets committed) and forgets its contexts.</summary>
    public void EndProcess(int rows)
    {
        if (!_on)
        {
            return;
        }
        _process?.Dispose();
        _process = null;
        Array.Clear(_parents, 0, rows);
    }
}
