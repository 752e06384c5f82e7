namespace Fraud.Streaming.Testing;

/// <summary>
/// Waiting in tests for what a test is really waiting for: a condition polled until it holds, failing with what was
/// awaited (and a watched process's output) when the time is up, or at once when that process exits meanwhile.
/// </summary>
public static class Waits
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <exception cref="TimeoutException">the condition did not hold within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="watched"/> exited before the condition held.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, ProcessRunner? watched = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (watched is { HasExited: true })
            {
                throw new InvalidOperationException($"{watched.Description} exited while waiting for {what}:\n{watched.Output}");
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for {what}"
                    + (watched is null ? "" : $"; {watched.Description} printed:\n{watched.Output}"));
            }
            await Task.Delay(Poll);
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, TimeSpan, string, ProcessRunner?)"/>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, ProcessRunner? watched = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, watched);
}
