using Fraud.Streaming.Gbdt.Ilgpu;

namespace Fraud.Streaming.Gbdt.Tests;

/// <summary>
/// The managed backend and the ILGPU kernels grow the same trees: same splits and thresholds, leaves within 1e-5. On
/// ILGPU's CPU accelerator the groups are 8 threads, so a histogram group reads 256 rows and a partition group 64: the
/// shapes below cut nodes into several groups of each kind and spread features over several shared-memory groups.
/// </summary>
public sealed class BackendEquivalenceTests
{
    private const double LeafTolerance = 1e-5;

    private static readonly GbdtOptions Base = new() { Rounds = 4, MaxDepth = 3, MaxBins = 16, Threads = 2 };

    public static TheoryData<string, GbdtOptions, int, int> Options => new()
    {
        { "defaults", Base, 400, 5 },
        { "one level", Base with { MaxDepth = 1, Rounds = 3 }, 400, 5 },
        { "subsampling", Base with { RowSubsample = 0.6, ColumnSubsample = 0.5, Seed = 7 }, 400, 5 },
        { "imbalance and regularisation", Base with { ScalePosWeight = 8, Lambda = 3, MinChildWeight = 2, MinSplitGain = 0.01 }, 400, 5 },
        { "deeper, more bins", Base with { Rounds = 2, MaxDepth = 5, MaxBins = 64, LearningRate = 0.3 }, 400, 5 },
        { "three feature groups, 255 bins", Base with { Rounds = 2, MaxDepth = 4, MaxBins = 255 }, 1200, 30 },
        { "uneven feature groups, subsampled", Base with { Rounds = 3, RowSubsample = 0.8, ColumnSubsample = 0.7, ScalePosWeight = 3 }, 700, 13 },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void Managed_and_ilgpu_cpu_grow_identical_trees(string name, GbdtOptions options, int rows, int features)
    {
        var data = SyntheticData.Make(rows, features, seed: 21);
        var managed = GbdtTrainer.Train(data, null, options with { Device = GbdtDevice.Cpu });
        var ilgpu = GbdtTrainer.Train(data, null, options with { Device = GbdtDevice.IlgpuCpu });

        Assert.StartsWith("ilgpu-cpu:", ilgpu.DeviceDescription, StringComparison.Ordinal);
        Assert.True(managed.Trees.Sum(t => t.SplitFeature.Length) >= options.Rounds, $"{name}: the trees should split");
        ModelAssert.SameTrees(managed, ilgpu, LeafTolerance);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void The_kernels_grow_the_same_trees_with_larger_groups(int threadsPerGroup)
    {
        // CUDA runs 256-thread groups: one bin per thread in the split search, scans over more lanes than the default 4.
        var data = SyntheticData.Make(300, 4, seed: 26);
        var options = Base with { Rounds = 1, MaxBins = 64, RowSubsample = 0.9 };
        var managed = GbdtTrainer.Train(data, null, options with { Device = GbdtDevice.Cpu });
        var ilgpu = GbdtBooster.Train(data, null, options, null, CancellationToken.None,
            (rows, _) => (IlgpuAccelerators.CreateCpu(rows, threadsPerGroup), "the test's"));

        ModelAssert.SameTrees(managed, ilgpu, leafTolerance: 0);
    }

    [Fact]
    public void Ilgpu_grows_bit_identical_trees_on_every_run_although_its_groups_race()
    {
        // Partition groups reserve their places with atomics, so rows land in a different order from run to run.
        var data = SyntheticData.Make(3000, 6, seed: 24);
        var options = Base with { Device = GbdtDevice.IlgpuCpu, Rounds = 3, MaxDepth = 4, RowSubsample = 0.9 };
        var first = GbdtTrainer.Train(data, null, options);
        var second = GbdtTrainer.Train(data, null, options);

        ModelAssert.SameTrees(first, second, leafTolerance: 0);
    }

    [Fact]
    public void Device_buffers_stay_within_the_memory_plan()
    {
        var data = SyntheticData.Make(1500, 7, seed: 25);
        IlgpuBackend? backend = null;
        var options = Base with { Rounds = 2, MaxDepth = 5, MaxBins = 32, MinChildWeight = 0 };
        var model = GbdtBooster.Train(data, null, options, null, CancellationToken.None,
            (rows, _) => (backend = IlgpuAccelerators.CreateCpu(rows), "the test's"));

        Assert.Equal(5, model.Trees.Max(t => Depth(t, 0)));
        var planned = backend!.Layout.PeakBytes(options.MaxDepth, TrainingRows.LossSampleCountFor(1500));
        Assert.InRange(backend.PeakDeviceBytes, backend.Layout.ResidentBytes, planned);
        // The two histogram levels are most of what comes on top of the resident rows.
        Assert.True(backend.PeakDeviceBytes - backend.Layout.ResidentBytes >= backend.Layout.HistogramBytes(16),
            $"peak {backend.PeakDeviceBytes}, resident {backend.Layout.ResidentBytes}");
    }

    [Fact]
    public void Ten_million_rows_of_fifty_features_at_depth_eight_fit_a_16_GB_gpu()
    {
        var layout = new DeviceLayout(10_000_000, 50, DeviceLayout.MaxGroupSize, Multiprocessors: 132);
        var bytes = layout.PeakBytes(maxDepth: 8, TrainingRows.LossSampleCountFor(10_000_000));

        // Leave 2 GiB of the 16 GB (14.9 GiB) to the CUDA context and the driver.
        Assert.True(bytes < 12.9 * (1L << 30), $"{bytes / (double)(1 << 20):F0} MiB");
        Assert.InRange(bytes, 900L << 20, 1100L << 20); // bins 500 MB, row arrays 410 MB, histograms 52 MB
    }

    [CudaFact]
    public void Managed_and_cuda_grow_identical_trees()
    {
        var data = SyntheticData.Make(20_000, 12, seed: 22);
        foreach (var options in new[] { Base with { Rounds = 10, MaxDepth = 6, MaxBins = 255 }, Base with { RowSubsample = 0.7, ColumnSubsample = 0.7, ScalePosWeight = 5 } })
        {
            var managed = GbdtTrainer.Train(data, null, options with { Device = GbdtDevice.Cpu });
            var cuda = GbdtTrainer.Train(data, null, options with { Device = GbdtDevice.Cuda });

            Assert.StartsWith("cuda:", cuda.DeviceDescription, StringComparison.Ordinal);
            ModelAssert.SameTrees(managed, cuda, LeafTolerance);
        }
    }

    [Fact]
    public void Cuda_without_a_gpu_fails_with_a_clear_message_and_auto_falls_back_saying_why()
    {
        if (IlgpuAccelerators.CudaUnavailableReason() is null)
        {
            return; // a GPU is present: the CUDA test above covers this machine
        }
        var data = SyntheticData.Make(200, 3, seed: 23);
        var error = Assert.Throws<NotSupportedException>(() => GbdtTrainer.Train(data, null, Base with { Device = GbdtDevice.Cuda }));
        Assert.Contains("CUDA", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);

        var auto = GbdtTrainer.Train(data, null, Base with { Device = GbdtDevice.Auto, Rounds = 1 });
        Assert.StartsWith("cpu:managed", auto.DeviceDescription, StringComparison.Ordinal);
        Assert.StartsWith("auto: ", auto.DeviceReason, StringComparison.Ordinal);
        Assert.Contains("CUDA", auto.DeviceReason, StringComparison.Ordinal);
        Assert.EndsWith("so the CPU", auto.DeviceReason, StringComparison.Ordinal);
    }

    private static int Depth(GbdtTree tree, int node) =>
        node < 0 ? 0 : 1 + Math.Max(Depth(tree, tree.Left[node]), Depth(tree, tree.Right[node]));
}
