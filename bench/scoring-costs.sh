#!/usr/bin/env bash
# Per-transaction costs of reason codes (TreeSHAP) and drift counting beside the inference, BenchmarkDotNet, on real
# model packages: a synthetic world is generated, our GBDT and the LightGBM baseline are trained on it with the
# trainer's defaults, and bench/Scoring.Benchmarks scores its newest 512 transactions with each.
#   bench/scoring-costs.sh [TRANSACTIONS=100000] [JOB=short]      (JOB: a BenchmarkDotNet job, e.g. short or default)
# Needs a Release build; no dev stack.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
job=${2:-short}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin() { echo "src/$1/bin/Release/net10.0/Fraud.Streaming.$1.dll"; }

dotnet "$(bin Producer)" synthetic --count "$n" --span-days 60 --seed 21 --out-dir "$work/data" >/dev/null 2>&1
for algo in gbdt lightgbm; do
  dotnet "$(bin Trainer)" train --algo "$algo" --transactions "$work/data/transactions.jsonl" --labels "$work/data/labels.jsonl" \
    --out "$work/$algo" --no-register --no-announce | grep -E '^\[train\]|^trained' | tail -2
done
for algo in gbdt lightgbm; do
  echo "== $algo"
  SCORING_BENCH_MODEL="$work/$algo" SCORING_BENCH_TRANSACTIONS="$work/data/transactions.jsonl" SCORING_BENCH_LABELS="$work/data/labels.jsonl" \
    dotnet run -c Release --project bench/Scoring.Benchmarks -- --filter '*' --job "$job" --artifacts "$work/bdn-$algo" 2>&1 |
    grep -E '^// model|^\| *(Method|Inference|Score_|TreeShap|Drift)|^\|[-: |]+$'
done
