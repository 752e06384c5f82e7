using System.Diagnostics;
using Fraud.Streaming.Producer.Publishing;
using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fraud.Streaming.Producer.Benchmarks;

/// <summary>Publishes at a fixed --rate for a while and reports the achieved rate, overall and per second.</summary>
internal static class PacingBenchmark
{
    public static void Run(int rate, double seconds, string bootstrap)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var kafka = new KafkaOptions { BootstrapServers = bootstrap, TransactionsTopic = $"bench-{run}.pacing-tx", LabelsTopic = $"bench-{run}.pacing-labels" };
        var publisher = new KafkaPublisher(kafka, NullLogger.Instance);
        var counters = new PublishCounters();
        var perSecond = new List<long>();
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            long last = 0;
            var next = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
            while (!done.IsSet)
            {
                var wait = (next - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (wait > 0 && done.Wait(TimeSpan.FromMilliseconds(wait)))
                {
                    break;
                }
                next += Stopwatch.Frequency;
                var now = counters.Transactions;
                perSecond.Add(now - last);
                last = now;
            }
        });
        var sw = Stopwatch.StartNew();
        sampler.Start();
        publisher.Run(
            new SyntheticSettings { Count = int.MaxValue, Seed = 42 },
            new PublishSettings { Rate = rate, Duration = TimeSpan.FromSeconds(seconds), LabelDelay = TimeSpan.Zero },
            CancellationToken.None,
            counters);
        var elapsed = sw.Elapsed;
        done.Set();
        sampler.Join();
        // The first and last seconds hold start-up and the final flush; the steady state is in between.
        var steady = perSecond.Skip(1).Take(Math.Max(0, perSecond.Count - 2)).ToList();
        Console.WriteLine($"target {rate}/s for {seconds}s: delivered {counters.Transactions} tx in {elapsed.TotalSeconds:F2}s = {counters.Transactions / elapsed.TotalSeconds:F0} tx/s; "
            + $"steady seconds n={steady.Count} min={steady.DefaultIfEmpty().Min()} max={steady.DefaultIfEmpty().Max()} "
            + $"mean={(steady.Count > 0 ? steady.Average() : 0):F0} ({(steady.Count > 0 ? steady.Average() / rate - 1 : 0):P2} off target)");
    }
}
