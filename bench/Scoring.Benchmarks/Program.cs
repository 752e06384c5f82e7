using BenchmarkDotNet.Running;
using Fraud.Streaming.Scoring.Benchmarks;

// The scorer's per-verdict costs of reason codes (TreeSHAP) and drift counting, beside the ONNX inference, on a real
// model package and real transactions: bench/scoring-costs.sh trains both and passes them in
// SCORING_BENCH_MODEL (package folder), SCORING_BENCH_TRANSACTIONS and SCORING_BENCH_LABELS (JSONL).
// `drift-crossing`: minutes of shifted traffic until the drift window crosses the retrain limits (bench/drift-crossing.sh).
if (args is ["drift-crossing", var model, var transactions, var labels, var shifted, var shiftedLabels])
{
    return DriftCrossing.Run(model, transactions, labels, shifted, shiftedLabels);
}
BenchmarkSwitcher.FromAssembly(typeof(ScoringCostBenchmarks).Assembly).Run(args);
return 0;
