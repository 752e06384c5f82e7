using System.Diagnostics;
using System.Globalization;
using Fraud.Streaming.Gbdt;
using Fraud.Streaming.Gbdt.Bench;

var rows = 1_000_000;
var features = 50;
var rounds = 100;
var depth = 6;
var bins = 255;
int? threads = null;
var device = GbdtDevice.Cpu;
var checkEquivalence = false;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
        switch (args[i])
        {
            case "--rows": rows = Int(); break;
            case "--features": features = Int(); break;
            case "--rounds": rounds = Int(); break;
            case "--depth": depth = Int(); break;
            case "--bins": bins = Int(); break;
            case "--threads": threads = Int(); break;
            case "--device":
                device = Value() switch
                {
                    "cpu" => GbdtDevice.Cpu,
                    "cuda" => GbdtDevice.Cuda,
                    "ilgpu-cpu" => GbdtDevice.IlgpuCpu,
                    "auto" => GbdtDevice.Auto,
                    var other => throw new ArgumentException($"--device must be cpu, cuda, ilgpu-cpu or auto (got '{other}')"),
                };
                break;
            case "--check-equivalence": checkEquivalence = true; break;
            default: throw new ArgumentException($"unknown argument '{args[i]}'");
        }
    }
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"gbdt-bench: {e.Message}");
    Console.Error.WriteLine("usage: gbdt-bench [--rows N] [--features N] [--rounds N] [--depth N] [--bins N] [--threads N] [--device cpu|cuda|ilgpu-cpu|auto] [--check-equivalence]");
    return 2;
}

var clock = Stopwatch.StartNew();
var train = SyntheticFraud.Make(rows, features, seed: 1);
var holdout = SyntheticFraud.Make(Math.Max(10_000, rows / 5), features, seed: 2);
var positives = train.Labels.ToArray().Count(l => l);
Console.WriteLine(FormattableString.Invariant($"data: {rows} x {features}, {100.0 * positives / rows:F2}% positive, generated in {clock.Elapsed.TotalSeconds:F2} s"));
var options = new GbdtOptions { Rounds = rounds, MaxDepth = depth, MaxBins = bins, Threads = threads, Device = device };

try
{
    if (checkEquivalence)
    {
        return Equivalence.Run(train, options);
    }
    var binClock = Stopwatch.StartNew();
    QuantileBinner.Bin(train, bins, new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount });
    var binSeconds = binClock.Elapsed.TotalSeconds;
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var trainClock = Stopwatch.StartNew();
    var model = GbdtTrainer.Train(train, null, options);
    var trainSeconds = trainClock.Elapsed.TotalSeconds;
    var trainCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    var auc = Auc.Of(GbdtTrainer.PredictProbability(model, holdout), holdout.Labels.Span);
    Console.WriteLine($"device: {model.DeviceDescription}");
    Console.WriteLine(FormattableString.Invariant(
        $"binning: {binSeconds:F2} s; training (binning included): {trainSeconds:F2} s wall, {trainCpuSeconds:F1} s CPU, {model.Trees.Count} rounds, depth {depth}, {bins} bins"));
    Console.WriteLine(FormattableString.Invariant($"holdout AUC: {auc:F4} ({holdout.RowCount} rows)"));
    Console.WriteLine($"model digest: {ModelDigest.Of(model)} (equal digests = bit-identical trees)");
    return 0;
}
catch (NotSupportedException e)
{
    Console.Error.WriteLine($"gbdt-bench: {e.Message}");
    return 3;
}
