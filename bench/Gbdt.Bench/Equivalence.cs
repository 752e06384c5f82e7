namespace Fraud.Streaming.Gbdt.Bench;

/// <summary>
/// Trains the same data on the managed backend and on ILGPU (the given device; without one, CUDA when present, else the
/// CPU accelerator) and compares the trees, under the default options and under sampling, imbalance and regularisation.
/// </summary>
internal static class Equivalence
{
    public static int Run(GbdtDataset train, GbdtOptions options, GbdtDevice? device)
    {
        if (device is null && Ilgpu.IlgpuAccelerators.CudaUnavailableReason() is { } reason)
        {
            Console.WriteLine($"{reason}: comparing with ILGPU's CPU accelerator");
        }
        var other = device ?? (Ilgpu.IlgpuAccelerators.CudaUnavailableReason() is null ? GbdtDevice.Cuda : GbdtDevice.IlgpuCpu);
        var sets = new (string Name, GbdtOptions Options)[]
        {
            ("defaults", options),
            ("rows 0.7, columns 0.7, scale_pos_weight 5, lambda 3, min_child_weight 2", options with
            {
                RowSubsample = 0.7, ColumnSubsample = 0.7, ScalePosWeight = 5, Lambda = 3, MinChildWeight = 2, Seed = 7,
            }),
        };
        var ok = true;
        foreach (var (name, set) in sets)
        {
            ok &= Compare(name, train, set, other);
        }
        Console.WriteLine(ok ? "EQUIVALENT" : "MISMATCH");
        return ok ? 0 : 1;
    }

    private static bool Compare(string name, GbdtDataset train, GbdtOptions options, GbdtDevice device)
    {
        var managed = GbdtTrainer.Train(train, null, options with { Device = GbdtDevice.Cpu });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var other = GbdtTrainer.Train(train, null, options with { Device = device });
        var seconds = clock.Elapsed.TotalSeconds;
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
        var same = ModelDigest.Of(managed) == ModelDigest.Of(other);
        Console.WriteLine(FormattableString.Invariant(
            $"{name}: {managed.DeviceDescription} vs {other.DeviceDescription} ({seconds:F2} s): {managed.Trees.Count} vs {other.Trees.Count} trees, ")
            + FormattableString.Invariant($"{mismatches} with different splits, max leaf difference {maxLeafDifference:G3}{(same ? ", bit-identical" : string.Empty)}"));
        return mismatches == 0 && maxLeafDifference <= 1e-5;
    }
}
