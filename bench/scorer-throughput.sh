#!/usr/bin/env bash
# End-to-end scorer throughput on the dev stack: publish a backlog of N synthetic transactions, start the
# scorer on a model trained from the same world, and time how long it takes to score the backlog (verdicts
# acknowledged by Kafka, counted by the scorer's own metrics). Prints one result line.
#   bench/scorer-throughput.sh [N=100000] [PUBLISH_RATE=0 (as fast as possible)]
# A low publish rate gives small record batches (about one message per batch per partition), as live traffic does.
# Needs the dev stack (deploy/devstack.sh up) and a Release build. Keep N x ~400 bytes / 12 partitions
# under the dev Kafka's ~5 MiB per partition, or the mock drops the oldest messages.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
publish_rate=${2:-0}
# shellcheck source=bench/scorer-bench-env.sh
. bench/scorer-bench-env.sh

dotnet "$(bin Producer)" synthetic --count 50000 --seed 11 --out-dir "$work/train" >/dev/null 2>&1
dotnet "$(bin Trainer)" train --transactions "$work/train/transactions.jsonl" --labels "$work/train/labels.jsonl" \
  --out "$work/model" --no-register --no-announce >/dev/null 2>&1
dotnet "$(bin Producer)" synthetic --count "$n" --seed 12 --rate "$publish_rate" --label-delay-seconds 0 >/dev/null 2>&1

dotnet "$(bin Scorer)" run --urls "http://127.0.0.1:$port" --Scorer:InitialModel="$work/model" >"$work/scorer.log" 2>&1 &
scorer_pid=$!
scored() { curl -fsS "http://127.0.0.1:$port/metrics" 2>/dev/null | awk '/^fraud_scorer_transactions_total/ {s+=$2} END {print s+0}'; }
until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
start=$(date +%s.%N)
until (( $(scored) >= n )); do
  kill -0 "$scorer_pid" 2>/dev/null || { cat "$work/scorer.log" >&2; exit 1; }
  sleep 0.05
done
end=$(date +%s.%N)
batch=$(curl -fsS "http://127.0.0.1:$port/metrics" | awk '/^fraud_scorer_batch_size_sum/ {s=$2} /^fraud_scorer_batch_size_count/ {c=$2} END {printf "%.0f", s/c}')
awk -v r="$publish_rate" -v n="$n" -v s="$start" -v e="$end" -v b="$batch" 'BEGIN { printf "scorer backlog (published at " (ARGV[0] ? "" : "") r "/s): %d transactions in %.2f s = %.0f tx/s (mean batch %d)\n", n, e - s, n / (e - s), b }'
