namespace Fraud.Streaming.Scorer;

/// <summary>
/// The time one assignment's restore may take in all (<see cref="StateOptions.RestoreTimeoutSeconds"/>): every partition
/// a rebalance callback hands over draws on the same budget, so the whole callback, which blocks the consumer's poll,
/// stays under <see cref="ScorerOptions.MaxPollIntervalMs"/>.
/// </summary>
internal sealed class RestoreBudget(TimeSpan limit, TimeProvider clock)
{
    private readonly long _started = clock.GetTimestamp();

    public RestoreBudget(int seconds)
        : this(TimeSpan.FromSeconds(seconds), TimeProvider.System)
    {
    }

    /// <summary>What is left, never negative.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = limit - clock.GetElapsedTime(_started);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Throws once the budget is spent, naming where the restore stood (<paramref name="progress"/>).</summary>
    /// <exception cref="TimeoutException">the assignment's restore took longer than the budget.</exception>
    public void ThrowIfSpent(string progress)
    {
        if (Remaining == TimeSpan.Zero)
        {
            throw new TimeoutException(
                $"restoring the assigned partitions took longer than {limit.TotalSeconds:0.###} s (State:RestoreTimeoutSeconds): {progress}");
        }
    }
}
