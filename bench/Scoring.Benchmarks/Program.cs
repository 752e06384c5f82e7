using BenchmarkDotNet.Running;
using Fraud.Streaming.Scoring.Benchmarks;

// The scorer's per-verdict costs of reason codes (TreeSHAP) and drift counting, beside the ONNX inference, on a real
// model package and real transactions: bench/scoring-costs.sh trains both and passes them in
// SCORING_BENCH_MODEL (package folder), SCORING_BENCH_TRANSACTIONS and SCORING_BENCH_LABELS (JSONL).
BenchmarkSwitcher.FromAssembly(typeof(ScoringCostBenchmarks).Assembly).Run(args);
