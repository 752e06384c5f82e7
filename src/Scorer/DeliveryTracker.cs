using Confluent.Kafka;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// Counts a batch's produced messages until the broker has acknowledged every one. The delivery handler runs on
/// the producer's thread; the scoring loop waits here before committing offsets.
/// </summary>
internal sealed class DeliveryTracker
{
    private readonly object _lock = new(); // Monitor.Wait/Pulse need an object lock
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

    /// <summary>Blocks until every expected message is acknowledged.</summary>
    /// <returns>False on timeout.</returns>
    /// <exception cref="KafkaDeliveryFailedException">a message was not delivered; its offsets must not be committed.</exception>
    public bool WaitAll(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_lock)
        {
            while (_pending > 0 && _failure is null)
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
