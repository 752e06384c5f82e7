using System.Runtime.CompilerServices;
using BenchmarkDotNet.Running;
using Fraud.Streaming.Shared.Features;

Console.WriteLine($"CardState: {Unsafe.SizeOf<CardState>()} bytes per card; spec {CardFeatureExtractor.Spec.Name} ({CardFeatureExtractor.Spec.Count} features, hash {CardFeatureExtractor.Spec.Hash})");
BenchmarkSwitcher.FromAssembly(typeof(Fraud.Streaming.Features.Benchmarks.OnlinePipelineBenchmarks).Assembly).Run(args);
