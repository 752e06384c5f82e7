using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Producer.Publishing;

/// <summary>
/// Labels waiting for their wall-clock due time. With a fixed delay they come due in publishing order; with the
/// event-time speed-up each has its own chargeback delay, so the earliest due goes first (ties keep their order).
/// </summary>
internal sealed class LabelSchedule
{
    private readonly PriorityQueue<Label, (long Due, long Seq)> _queue = new();
    private long _seq;

    public int Count => _queue.Count;

    public long NextDue => _queue.TryPeek(out _, out var at) ? at.Due : long.MaxValue;

    public void Enqueue(long due, Label label) => _queue.Enqueue(label, (due, _seq++));

    public Label Peek() => _queue.Peek();

    public Label Dequeue() => _queue.Dequeue();
}
