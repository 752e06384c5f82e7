namespace Fraud.Streaming.Producer.Publishing;

/// <summary>
/// Paces publishing to a target rate. Tokens accrue from a monotonic timestamp, so the long-run rate is exact
/// however coarse the sleeps between bursts are; the burst cap bounds how far a stall can be caught up.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _tokensPerTick;
    private readonly double _burst;
    private double _tokens;
    private long _last;

    public TokenBucket(double ratePerSecond, double burst, long nowTimestamp, long timestampFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1.0);
        _tokensPerTick = ratePerSecond / timestampFrequency;
        _burst = burst;
        _tokens = 1;
        _last = nowTimestamp;
    }

    /// <summary>Takes one token and returns 0, or returns how many timestamp ticks to wait until one is due.</summary>
    public long TryTake(long nowTimestamp)
    {
        if (nowTimestamp > _last)
        {
            _tokens = Math.Min(_burst, _tokens + ((nowTimestamp - _last) * _tokensPerTick));
            _last = nowTimestamp;
        }
        if (_tokens >= 1)
        {
            _tokens -= 1;
            return 0;
        }
        return Math.Max(1, (long)Math.Ceiling((1 - _tokens) / _tokensPerTick));
    }
}
