using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Fraud.Streaming.Producer.Benchmarks;

// Producer throughput harness (not part of the test suite):
//   generate N [DIR]  synthetic generation alone, then to JSONL files (in DIR, default the temp folder)
//   kafka N BOOTSTRAP the producer's publishing path vs a bare Confluent.Kafka producer, same run, same sizes
//   pacing RATE SECONDS BOOTSTRAP   how closely --rate is held
var mode = args.Length > 0 ? args[0] : "generate";
var n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var bootstrap = args.Length > 2 ? args[^1] : Environment.GetEnvironmentVariable("FRAUD_KAFKA_BOOTSTRAP") ?? "127.0.0.1:9092";
Console.WriteLine($"# {mode} n={n} cores={Environment.ProcessorCount} {RuntimeInfo()} librdkafka={Library.VersionString}");
switch (mode)
{
    case "generate":
        GenerationBenchmark.Run(n, args.Length > 2 ? args[2] : null);
        break;
    case "kafka":
        PublishBenchmark.Run(n, bootstrap);
        break;
    case "pacing":
        PacingBenchmark.Run(n, double.Parse(args[2], CultureInfo.InvariantCulture), bootstrap);
        break;
    default:
        Console.Error.WriteLine("usage: generate N | kafka N BOOTSTRAP | pacing RATE SECONDS BOOTSTRAP");
        return 2;
}
return 0;

static string RuntimeInfo() => $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} gc={(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} stopwatch={Stopwatch.Frequency}";
