using Fraud.Streaming.Shared.Quality;
using Fraud.Streaming.Trainer.Evaluation;

namespace Fraud.Streaming.Trainer.Tests;

public sealed class EvaluationPlotsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trainer-plots-").FullName;

    [Fact]
    public void Roc_pr_and_calibration_plots_are_valid_png_of_the_chosen_size()
    {
        var random = new Random(3);
        var labels = Enumerable.Range(0, 5000).Select(_ => random.NextDouble() < 0.05).ToArray();
        var scores = labels.Select(l => (float)Math.Clamp((l ? 0.6 : 0.2) + ((random.NextDouble() - 0.5) * 0.6), 0, 1)).ToArray();
        var evaluator = new BinaryEvaluator(scores, labels);

        var files = EvaluationPlots.Write(_dir, evaluator, CalibrationReport.Compute(scores, labels), evaluator.RocAuc(), evaluator.AveragePrecision());

        Assert.Equal(["roc.png", "pr.png", "calibration.png"], files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(_dir, file));
            Assert.True(bytes.Length > 5_000, $"{file}: {bytes.Length} bytes is too small for a drawn plot");
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            // IHDR is the first chunk: width and height, big-endian, at bytes 16..23.
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
            Assert.Equal(640, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
            Assert.Equal(480, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        }
    }

    [Fact]
    public void Curves_run_from_the_strictest_to_the_loosest_cut()
    {
        var e = new BinaryEvaluator([0.9f, 0.8f, 0.8f, 0.3f], [true, false, true, false]);
        var roc = e.RocCurve();
        Assert.Equal((0.0, 0.0), roc[0]);
        Assert.Equal((0.0, 0.5), roc[1]);
        Assert.Equal((0.5, 1.0), roc[2]); // the tie at 0.8 is one step
        Assert.Equal((1.0, 1.0), roc[^1]);
        var pr = e.PrecisionRecallCurve();
        Assert.Equal([(0.5, 1.0), (1.0, 2 / 3.0), (1.0, 0.5)], pr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
