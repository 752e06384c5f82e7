using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Sends refused messages to the dead-letter topic: the original key, value and headers plus the reason
/// (<see cref="DlqHeaders"/>). A copy that would not fit the size limit (<see cref="ScorerOptions.DlqMaxMessageBytes"/>,
/// or a broker that refuses it as too large) goes as a stub instead: no value, the reason, the original's reference
/// (topic/partition/offset) and size, and its headers where they fit. A rejected message therefore never stops the
/// scorer: the original stays readable in its topic at the reference.
/// </summary>
internal sealed class DeadLetterPublisher
{
    private const int MaxDetailLength = 1000;
    private const int MaxStubKeyBytes = 1024;
    // Record and header framing the broker counts beyond the bytes themselves; generous, so a copy never just fits.
    private const int Overhead = 512;

    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _topic;
    private readonly int _maxMessageBytes;

    public DeadLetterPublisher(IProducer<byte[], byte[]> producer, string topic, int maxMessageBytes)
    {
        _producer = producer;
        _topic = topic;
        _maxMessageBytes = maxMessageBytes;
    }

    /// <summary>Dead-letters the consumed message with its reason, counted in <paramref name="deliveries"/> (its batch's).</summary>
    public void Publish(ConsumeResult<byte[], byte[]> result, RejectReason reason, DeliveryTracker deliveries)
    {
        var original = result.Message;
        var headers = new Headers();
        if (original.Headers is not null)
        {
            foreach (var header in original.Headers)
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }
        var detail = reason.Detail.Length > MaxDetailLength ? reason.Detail[..MaxDetailLength] : reason.Detail;
        headers.Add(DlqHeaders.Reason, Encoding.UTF8.GetBytes(reason.CodeName));
        headers.Add(DlqHeaders.Detail, Encoding.UTF8.GetBytes(detail));
        headers.Add(DlqHeaders.Source, Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{result.Topic}/{result.Partition.Value}/{result.Offset.Value}")));
        var copy = new Message<byte[], byte[]> { Key = original.Key, Value = original.Value, Headers = headers };
        ScorerMetrics.Dlq.WithLabels(reason.CodeName).Inc();
        if (SizeOf(copy) > _maxMessageBytes)
        {
            PublishStub(copy, deliveries);
            return;
        }
        try
        {
            deliveries.Produce(_producer, _topic, copy, deliveries.ReplaceableHandler);
        }
        catch (ProduceException<byte[], byte[]> ex) when (DeliveryTracker.IsTooLarge(ex.Error.Code))
        {
            PublishStub(copy, deliveries);
        }
    }

    /// <summary>Replaces the copies of a batch the broker refused as too large with stubs; true when it sent any (wait for them too).</summary>
    public bool ReplaceOversized(DeliveryTracker deliveries)
    {
        var any = false;
        while (deliveries.TryTakeOversized(out var refused))
        {
            PublishStub(refused, deliveries);
            any = true;
        }
        return any;
    }

    /// <summary>The stub of a copy: its dead-letter headers, the original's size, as many original headers as fit; no value.</summary>
    private void PublishStub(Message<byte[], byte[]> copy, DeliveryTracker deliveries)
    {
        var stub = new Headers
        {
            { DlqHeaders.Stub, "true"u8.ToArray() },
            { DlqHeaders.Size, Encoding.UTF8.GetBytes((copy.Value?.Length ?? 0).ToString(CultureInfo.InvariantCulture)) },
        };
        var budget = _maxMessageBytes - Overhead - MaxStubKeyBytes - 64;
        var dropped = 0;
        // The dead-letter headers come last in the copy; keep them first, then the original ones while they fit.
        var ordered = copy.Headers.Where(h => h.Key.StartsWith("dlq.", StringComparison.Ordinal))
            .Concat(copy.Headers.Where(h => !h.Key.StartsWith("dlq.", StringComparison.Ordinal)));
        foreach (var header in ordered)
        {
            var size = Encoding.UTF8.GetByteCount(header.Key) + (header.GetValueBytes()?.Length ?? 0);
            if (size > budget)
            {
                dropped++;
                continue;
            }
            budget -= size;
            stub.Add(header.Key, header.GetValueBytes());
        }
        if (dropped > 0)
        {
            stub.Add(DlqHeaders.HeadersDropped, Encoding.UTF8.GetBytes(dropped.ToString(CultureInfo.InvariantCulture)));
        }
        var key = copy.Key is { Length: <= MaxStubKeyBytes } k ? k : null!;
        ScorerMetrics.DlqStubs.Inc();
        deliveries.Produce(_producer, _topic, new Message<byte[], byte[]> { Key = key, Value = null!, Headers = stub });
    }

    private static long SizeOf(Message<byte[], byte[]> message)
    {
        long size = Overhead + (message.Key?.Length ?? 0) + (message.Value?.Length ?? 0);
        foreach (var header in message.Headers)
        {
            size += Encoding.UTF8.GetByteCount(header.Key) + (header.GetValueBytes()?.Length ?? 0) + 8;
        }
        return size;
    }
}
