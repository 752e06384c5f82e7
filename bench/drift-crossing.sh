#!/usr/bin/env bash
# Minutes of shifted traffic until the scorer's drift window crosses the retrain limits (PSI 0.25), with the shipped
# Drift settings: a synthetic world is generated twice with the same seed, once as it is and once with every amount
# scaled (the demo's shift), a GBDT is trained on the first, and bench/Scoring.Benchmarks drift-crossing scores the
# older half of the first world, then the newer half of the shifted one, through the scorer's drift monitor.
#   bench/drift-crossing.sh [TRANSACTIONS=100000] [AMOUNT_SCALE=5]
# Needs a Release build; no dev stack.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
scale=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin() { echo "src/$1/bin/Release/net10.0/Fraud.Streaming.$1.dll"; }

dotnet "$(bin Producer)" synthetic --count "$n" --span-days 60 --seed 21 --out-dir "$work/data" >/dev/null 2>&1
dotnet "$(bin Producer)" synthetic --count "$n" --span-days 60 --seed 21 --amount-scale "$scale" --out-dir "$work/shifted" >/dev/null 2>&1
dotnet "$(bin Trainer)" train --algo gbdt --transactions "$work/data/transactions.jsonl" --labels "$work/data/labels.jsonl" \
    --out "$work/model" --no-register --no-announce | grep -E '^trained' | tail -1
dotnet run -c Release --project bench/Scoring.Benchmarks -- drift-crossing "$work/model" "$work/data/transactions.jsonl" "$work/data/labels.jsonl" \
    "$work/shifted/transactions.jsonl" "$work/shifted/labels.jsonl"
