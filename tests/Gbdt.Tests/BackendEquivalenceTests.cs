namespace Fraud.Streaming.Gbdt.Tests;

/// <summary>The managed backend and the ILGPU kernels grow the same trees: same splits and thresholds, leaves within 1e-5.</summary>
public sealed class BackendEquivalenceTests
{
    private const double LeafTolerance = 1e-5;

    private static readonly GbdtOptions Base = new() { Rounds = 4, MaxDepth = 3, MaxBins = 16, Threads = 2 };

    public static TheoryData<string, GbdtOptions> Options => new()
    {
        { "defaults", Base },
        { "subsampling", Base with { RowSubsample = 0.6, ColumnSubsample = 0.5, Seed = 7 } },
        { "imbalance and regularisation", Base with { ScalePosWeight = 8, Lambda = 3, MinChildWeight = 2, MinSplitGain = 0.01 } },
        { "deeper, more bins", Base with { Rounds = 2, MaxDepth = 5, MaxBins = 64, LearningRate = 0.3 } },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void Managed_and_ilgpu_cpu_grow_identical_trees(string name, GbdtOptions options)
    {
        var data = SyntheticData.Make(400, 5, seed: 21);
        var managed = GbdtTrainer.Train(data, null, options with { Device = GbdtDevice.Cpu });
        var ilgpu = GbdtTrainer.Train(data, null, options with { Device = GbdtDevice.IlgpuCpu });

        Assert.StartsWith("ilgpu-cpu:", ilgpu.DeviceDescription, StringComparison.Ordinal);
        Assert.True(managed.Trees.Sum(t => t.SplitFeature.Length) >= options.Rounds, $"{name}: the trees should split");
        ModelAssert.SameTrees(managed, ilgpu, LeafTolerance);
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
    public void Cuda_without_a_gpu_fails_with_a_clear_message_and_auto_falls_back()
    {
        if (IlgpuBackend.CudaUnavailableReason() is null)
        {
            return; // a GPU is present: the CUDA test above covers this machine
        }
        var data = SyntheticData.Make(200, 3, seed: 23);
        var error = Assert.Throws<NotSupportedException>(() => GbdtTrainer.Train(data, null, Base with { Device = GbdtDevice.Cuda }));
        Assert.Contains("CUDA", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);

        var auto = GbdtTrainer.Train(data, null, Base with { Device = GbdtDevice.Auto, Rounds = 1 });
        Assert.StartsWith("cpu:managed", auto.DeviceDescription, StringComparison.Ordinal);
    }
}
