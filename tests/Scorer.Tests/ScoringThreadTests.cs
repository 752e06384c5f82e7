using Microsoft.Extensions.Logging.Abstractions;

namespace Fraud.Streaming.Scorer.Tests;

public sealed class ScoringThreadTests
{
    [Fact]
    public async Task Stop_returns_only_after_a_loop_that_outlives_the_drain_has_ended()
    {
        var ended = false;
        using var stopSeen = new ManualResetEventSlim();
        using var loop = new ScoringThread("test-loop", () =>
        {
            // A drain that overruns: the loop sees the stop, then still works (acknowledgements, flush) for a while.
            stopSeen.Wait();
            Thread.Sleep(600);
            Volatile.Write(ref ended, true);
        }, TimeSpan.FromSeconds(30), NullLogger.Instance);
        loop.Stopping.Register(stopSeen.Set);
        loop.Start();

        var stopped = await loop.StopAsync(TimeSpan.FromMilliseconds(50));

        // Before, stop returned after the drain and the host disposed the ONNX session under the running loop.
        Assert.True(stopped);
        Assert.True(Volatile.Read(ref ended));
        Assert.True(loop.HasEnded);
    }

    [Fact]
    public async Task Stop_is_bounded_and_reports_a_loop_that_never_ends()
    {
        using var release = new ManualResetEventSlim();
        using var loop = new ScoringThread("stuck-loop", () => release.Wait(), TimeSpan.FromMilliseconds(200), NullLogger.Instance);
        loop.Start();

        var stopped = await loop.StopAsync(TimeSpan.FromMilliseconds(50)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(stopped);
        Assert.False(loop.HasEnded);
        release.Set();
    }
}
