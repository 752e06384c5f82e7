namespace Fraud.Streaming.Scorer;

/// <summary>
/// The scoring loop's own thread and how it stops: asked to stop, given the drain time, and then waited for (within
/// <paramref name="joinTimeout"/>) before stop returns, because the host disposes what the loop uses (the ONNX
/// sessions, the entity source) right after. A loop still running past that bound is reported, never disposed under.
/// </summary>
internal sealed class ScoringThread(string name, Action body, TimeSpan joinTimeout, ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cancelled when the host stops.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>The loop has returned (or never started).</summary>
    public bool HasEnded => _ended.Task.IsCompleted;

    public void Start()
    {
        var thread = new Thread(RunBody) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>Stops the loop; returns once it has ended (true), or false when it still runs after the drain and the join bound.</summary>
    public async Task<bool> StopAsync(TimeSpan drain)
    {
        await _stopping.CancelAsync();
        if (await EndsWithin(drain))
        {
            return true;
        }
        ScorerLog.DrainTimedOut(logger, (int)drain.TotalSeconds);
        if (await EndsWithin(joinTimeout))
        {
            ScorerLog.ScoringThreadJoined(logger, name);
            return true;
        }
        ScorerLog.ScoringThreadStillRunning(logger, name, (drain + joinTimeout).TotalSeconds);
        return false;
    }

    private async Task<bool> EndsWithin(TimeSpan timeout)
    {
        var first = await Task.WhenAny(_ended.Task, Task.Delay(timeout));
        return first == _ended.Task;
    }

    private void RunBody()
    {
        try
        {
            body();
        }
        finally
        {
            _ended.TrySetResult();
        }
    }

    /// <summary>Leaves the token source to the loop while it still runs.</summary>
    public void Dispose()
    {
        if (HasEnded)
        {
            _stopping.Dispose();
        }
    }
}
