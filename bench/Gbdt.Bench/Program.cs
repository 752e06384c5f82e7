using System.Diagnostics;
using System.Globalization;
using Fraud.Streaming.Gbdt;
using Fraud.Streaming.Gbdt.Bench;
using Fraud.Streaming.Shared.Quality;

var rows = 1_000_000;
var features = 50;
var rounds = 100;
var depth = 6;
var bins = 255;
int? threads = null;
GbdtDevice? device = null;
var checkEquivalence = false;
var memoryPlan = false;
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
            case "--memory-plan": memoryPlan = true; break;
            default: throw new ArgumentException($"unknown argument '{args[i]}'");
        }
    }
    if (rows < 2 || features < 1 || rounds < 1 || depth is < 1 or > 12)
    {
        throw new ArgumentException("--rows must be at least 2, --features and --rounds at least 1, --depth between 1 and 12");
    }
    if (checkEquivalence && device is GbdtDevice.Cpu or GbdtDevice.Auto)
    {
        throw new ArgumentException("--check-equivalence compares the CPU backend with --device cuda or ilgpu-cpu");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"gbdt-bench: {e.Message}");
    Console.Error.WriteLine("usage: gbdt-bench [--rows N] [--features N] [--rounds N] [--depth N] [--bins N] [--threads N] [--device cpu|cuda|ilgpu-cpu|auto] [--check-equivalence | --memory-plan]");
    return 2;
}

if (memoryPlan)
{
    MemoryPlan.Write(rows, features, depth);
    return 0;
}

var clock = Stopwatch.StartNew();
var train = SyntheticFraud.Make(rows, features, seed: 1);
var holdout = SyntheticFraud.Make(Math.Max(10_000, rows / 5), features, seed: 2);
var positives = train.Labels.ToArray().Count(l => l);
Console.WriteLine(FormattableString.Invariant($"data: {rows} x {features}, {100.0 * positives / rows:F2}% positive, generated in {clock.Elapsed.TotalSeconds:F2} s"));
var options = new GbdtOptions { Rounds = rounds, MaxDepth = depth, MaxBins = bins, Threads = threads, Device = device ?? GbdtDevice.Cpu };

try
{
    if (checkEquivalence)
    {
        return Equivalence.Run(train, options, device);
    }
    var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount };
    var binClock = Stopwatch.StartNew();
    QuantileBinner.Bin(train, bins, parallel);
    var binSeconds = binClock.Elapsed.TotalSeconds;
    var watch = new BackendWatch();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var trainClock = Stopwatch.StartNew();
    var model = GbdtBooster.Train(train, null, options, null, CancellationToken.None, watch.Factory(options.Device));
    var trainSeconds = trainClock.Elapsed.TotalSeconds;
    var trainCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    var auc = new BinaryEvaluator(GbdtTrainer.PredictProbability(model, holdout), holdout.Labels.Span).RocAuc();
    Console.WriteLine($"device: {model.DeviceDescription} ({model.DeviceReason})");
    Console.WriteLine(FormattableString.Invariant(
        $"binning: {binSeconds:F2} s; training (binning included): {trainSeconds:F2} s wall, {trainCpuSeconds:F1} s CPU, {model.Trees.Count} rounds, depth {depth}, {bins} bins"));
    watch.WriteMeasured(depth);
    Console.WriteLine(FormattableString.Invariant($"holdout AUC: {auc:F4} ({holdout.RowCount} rows)"));
    Console.WriteLine($"model digest: {ModelDigest.Of(model)} (equal digests = bit-identical trees)");
    return 0;
}
catch (NotSupportedException e)
{
    Console.Error.WriteLine($"gbdt-bench: {e.Message}");
    return 3;
}
