using System.Diagnostics;
using Fraud.Streaming.Producer.Output;
using Fraud.Streaming.DataSets.Synthetic;

namespace Fraud.Streaming.Producer.Benchmarks;

internal static class GenerationBenchmark
{
    private static string? _parent;

    /// <param name="parent">Where the output goes (a RAM disk such as /dev/shm separates the code's speed from the disk's).</param>
    public static void Run(int n, string? parent)
    {
        _parent = parent;
        var settings = new SyntheticSettings { Count = n, Seed = 42 };
        // Warm-up: JIT and tiered compilation, page cache for the output folder.
        Once(settings with { Count = Math.Min(n, 200_000) });

        var generator = new SyntheticGenerator(settings);
        var sw = Stopwatch.StartNew();
        long fraud = 0;
        for (var i = 0; i < n; i++)
        {
            fraud += generator.Next().Label.IsFraud ? 1 : 0;
        }
        Report("generate-only", n, sw.Elapsed, $"fraud={fraud}");

        for (var run = 1; run <= 3; run++)
        {
            var (elapsed, bytes) = Once(settings);
            Report($"to-file run {run}", n, elapsed, $"bytes={bytes / 1e6:F0}MB ({bytes / 1e6 / elapsed.TotalSeconds:F0} MB/s)");
        }
    }

    private static (TimeSpan Elapsed, long Bytes) Once(SyntheticSettings settings)
    {
        var dir = _parent is null
            ? Directory.CreateTempSubdirectory("producer-bench-").FullName
            : Directory.CreateDirectory(Path.Combine(_parent, $"producer-bench-{Guid.NewGuid():N}")).FullName;
        try
        {
            var summary = SyntheticFileExport.Run(settings, dir, malformed: 0, CancellationToken.None);
            var bytes = new DirectoryInfo(dir).GetFiles().Sum(f => f.Length);
            return (summary.Elapsed, bytes);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Report(string what, int n, TimeSpan elapsed, string extra) =>
        Console.WriteLine($"{what,-16} {n} tx in {elapsed.TotalSeconds:F2}s = {n / elapsed.TotalSeconds:F0} tx/s  {extra}");
}
