using System.Collections.Concurrent;
using Confluent.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Counts a batch's produced messages until the broker has acknowledged every one. The delivery handler runs on
/// the producer's thread; the scoring loop waits here before committing offsets.
/// </summary>
internal sealed class DeliveryTracker
{
    private readonly object _lock = new(); // Monitor.Wait/Pulse need an object lock
    private readonly ConcurrentQueue<Message<byte[], byte[]>> _oversized = new();
    private int _pending;
    private string? _failure;

    public DeliveryTracker() => Handler = OnDelivery;

    /// <summary>The delivery handler to pass to every <c>Produce</c> (one cached delegate: no allocation per message).</summary>
    public Action<DeliveryReport<byte[], byte[]>> Handler { get; }

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending;
            }
        }
    }

    /// <summary>Call before each <c>Produce</c>.</summary>
    public void Expect()
    {
        lock (_lock)
        {
            _pending++;
        }
    }

    /// <summary>For a <c>Produce</c> that threw: its handler will never run.</summary>
    public void Cancel()
    {
        lock (_lock)
        {
            _pending--;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>
    /// For a message the broker refused as too large, which its sender can replace with a smaller one: not a failure,
    /// and <see cref="WaitAll"/> returns so the sender can take it (<see cref="TryTakeOversized"/>) and send the other.
    /// </summary>
    public void Oversized(Message<byte[], byte[]> message)
    {
        _oversized.Enqueue(message);
        lock (_lock)
        {
            _pending--;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>A message handed to <see cref="Oversized"/>, to be replaced.</summary>
    public bool TryTakeOversized([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Message<byte[], byte[]>? message) => _oversized.TryDequeue(out message);

    /// <summary>Produces <paramref name="message"/>, waiting while the local queue is full; <paramref name="handler"/> is <see cref="Handler"/> unless given.</summary>
    public void Produce(IProducer<byte[], byte[]> producer, string topic, Message<byte[], byte[]> message,
        Action<DeliveryReport<byte[], byte[]>>? handler = null)
    {
        while (true)
        {
            Expect();
            try
            {
                producer.Produce(topic, message, handler ?? Handler);
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                Cancel();
                Thread.Sleep(5);
            }
            catch
            {
                Cancel();
                throw;
            }
        }
    }

    /// <summary>
    /// Blocks until every expected message is acknowledged, or one was refused as too large (<see cref="Oversized"/>):
    /// call again after replacing it.
    /// </summary>
    /// <returns>False on timeout.</returns>
    /// <exception cref="KafkaDeliveryFailedException">a message was not delivered; its offsets must not be committed.</exception>
    public bool WaitAll(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_lock)
        {
            while (_pending > 0 && _failure is null && _oversized.IsEmpty)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }
                Monitor.Wait(_lock, left);
            }
            if (_failure is not null)
            {
                throw new KafkaDeliveryFailedException(_failure);
            }
            return true;
        }
    }

    private void OnDelivery(DeliveryReport<byte[], byte[]> report)
    {
        lock (_lock)
        {
            if (report.Error.IsError)
            {
                _failure ??= $"delivery to {report.TopicPartition} failed: {report.Error.Code}: {report.Error.Reason}";
            }
            _pending--;
            if (_pending == 0 || _failure is not null)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }
}

/// <summary>The broker did not take a verdict or DLQ message; committing past it would lose data.</summary>
internal sealed class KafkaDeliveryFailedException(string message) : Exception(message);
