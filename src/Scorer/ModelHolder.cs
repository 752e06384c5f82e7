using System.Collections.Concurrent;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer;

/// <summary>
/// The model that serves now. Writers publish a new model at any time; the single scoring loop reads it once
/// per batch with <see cref="AcquireForBatch"/>, so a swap lands between batches. A replaced model is disposed
/// by the loop at its next batch boundary, when nothing can still be scoring with it.
/// </summary>
internal sealed class ModelHolder : IDisposable
{
    private readonly ConcurrentQueue<LoadedModel> _retired = new();
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoadedModel? _current;
    private volatile bool _leftToProcessExit;

    public LoadedModel? Current => Volatile.Read(ref _current);

    public string? CurrentVersion => Current?.Version;

    /// <summary>Completes when the first model is published.</summary>
    public Task FirstModel => _first.Task;

    /// <summary>Makes <paramref name="model"/> the serving model.</summary>
    /// <returns>The model it replaces, already queued for disposal; do not use it.</returns>
    public LoadedModel? Publish(LoadedModel model)
    {
        var old = Interlocked.Exchange(ref _current, model);
        if (old is not null)
        {
            _retired.Enqueue(old);
        }
        _first.TrySetResult();
        return old;
    }

    /// <summary>Nothing serves from now on (the challenge ended); the model is retired like a replaced one.</summary>
    /// <returns>The withdrawn model's version, or null if there was none.</returns>
    public string? Withdraw()
    {
        var old = Interlocked.Exchange(ref _current, null);
        if (old is not null)
        {
            _retired.Enqueue(old);
        }
        return old?.Version;
    }

    /// <summary>
    /// The model for the next batch. Only the scoring loop calls this; it disposes models replaced before the
    /// previous batch started. Draining before reading is what makes that safe: a model retired after the drain
    /// stays alive until the next call.
    /// </summary>
    public LoadedModel? AcquireForBatch()
    {
        while (_retired.TryDequeue(out var old))
        {
            old.Dispose();
        }
        return Current;
    }

    /// <summary>
    /// A scoring loop that did not stop may still run a model: freeing its native session under it would crash the
    /// process, so <see cref="Dispose"/> leaves every model to process exit.
    /// </summary>
    public void LeaveToProcessExit() => _leftToProcessExit = true;

    public void Dispose()
    {
        if (_leftToProcessExit)
        {
            return;
        }
        while (_retired.TryDequeue(out var old))
        {
            old.Dispose();
        }
        Interlocked.Exchange(ref _current, null)?.Dispose();
    }
}
