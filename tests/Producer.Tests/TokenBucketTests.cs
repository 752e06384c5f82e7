using Fraud.Streaming.Producer.Publishing;

namespace Fraud.Streaming.Producer.Tests;

public sealed class TokenBucketTests
{
    private const long Frequency = 10_000_000;

    [Theory]
    [InlineData(100.0)]
    [InlineData(5_000.0)]
    [InlineData(250_000.0)]
    public void Long_run_rate_matches_the_target_even_with_coarse_sleeps(double rate)
    {
        var now = 0L;
        var bucket = new TokenBucket(rate, Math.Max(1, rate / 20), now, Frequency);
        var taken = 0;
        var target = (int)(rate * 10);
        while (taken < target)
        {
            var wait = bucket.TryTake(now);
            if (wait == 0)
            {
                taken++;
                continue;
            }
            // Sleeps are at least a millisecond and overshoot, as real ones do.
            now += Math.Max(wait, Frequency / 1000) + (Frequency / 5000);
        }
        var seconds = now / (double)Frequency;
        Assert.InRange(seconds, 9.9, 10.1);
    }

    [Fact]
    public void A_stall_is_caught_up_only_up_to_the_burst()
    {
        var bucket = new TokenBucket(1000, burst: 10, nowTimestamp: 0, Frequency);
        var afterStall = Frequency * 5;
        var immediate = 0;
        while (bucket.TryTake(afterStall) == 0)
        {
            immediate++;
        }
        Assert.Equal(10, immediate);
    }
}
