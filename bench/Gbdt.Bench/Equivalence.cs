namespace Fraud.Streaming.Gbdt.Bench;

/// <summary>Trains the same data on the managed backend and on ILGPU (CUDA when present) and compares the trees.</summary>
internal static class Equivalence
{
    public static int Run(GbdtDataset train, GbdtOptions options)
    {
        var managed = GbdtTrainer.Train(train, null, options with { Device = GbdtDevice.Cpu });
        GbdtModel other;
        try
        {
            other = GbdtTrainer.Train(train, null, options with { Device = GbdtDevice.Cuda });
        }
        catch (NotSupportedException e)
        {
            Console.WriteLine($"no CUDA ({e.Message}); comparing with ILGPU's CPU accelerator");
            other = GbdtTrainer.Train(train, null, options with { Device = GbdtDevice.IlgpuCpu });
        }
        var mismatches = 0;
        var maxLeafDifference = 0.0;
        var trees = Math.Min(managed.Trees.Count, other.Trees.Count);
        for (var t = 0; t < trees; t++)
        {
            var a = managed.Trees[t];
            var b = other.Trees[t];
            if (!a.SplitFeature.SequenceEqual(b.SplitFeature) || !a.Threshold.SequenceEqual(b.Threshold)
                || !a.Left.SequenceEqual(b.Left) || !a.Right.SequenceEqual(b.Right) || a.LeafValues.Length != b.LeafValues.Length)
            {
                mismatches++;
                continue;
            }
            for (var l = 0; l < a.LeafValues.Length; l++)
            {
                maxLeafDifference = Math.Max(maxLeafDifference, Math.Abs(a.LeafValues[l] - b.LeafValues[l]));
            }
        }
        mismatches += Math.Abs(managed.Trees.Count - other.Trees.Count);
        Console.WriteLine($"{managed.DeviceDescription} vs {other.DeviceDescription}: {managed.Trees.Count} vs {other.Trees.Count} trees, "
            + $"{mismatches} with different splits, max leaf difference {maxLeafDifference:G3}");
        var ok = mismatches == 0 && maxLeafDifference <= 1e-5;
        Console.WriteLine(ok ? "EQUIVALENT" : "MISMATCH");
        return ok ? 0 : 1;
    }
}
