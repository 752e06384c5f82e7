#!/usr/bin/env bash
# What the scorer allocates on a backlog, by type: N synthetic transactions are published, `scorer run` (card-v1 model,
# as in bench/scorer-vs-passthrough.sh) starts on them, and once it has scored WARMUP (N/5) dotnet-trace records the
# GC's allocation ticks (--profile gc-verbose: an event each ~100 KB, naming the type that crossed it) for SECONDS.
# Prints the TOP types with their share and bytes per transaction scored in the window (bench/AllocationTypes): the
# process's own figure, Confluent.Kafka's objects included, beside the batch path's BenchmarkDotNet figure, which
# leaves the client out.
#   bench/scorer-allocations.sh [N=170000] [SECONDS=2] [TOP=25] [SCORER ARGS...]
# With scorer_dll set to another build's Fraud.Streaming.Scorer.dll, that build is traced instead (a before/after).
# Needs the dev stack, a Release build and bench/install-profilers.sh; keep N x ~400 bytes / 12 partitions under
# ~5 MiB, and the backlog longer than WARMUP plus SECONDS of scoring.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-170000}
duration=${2:-2}
top=${3:-25}
shift $(($# < 3 ? $# : 3))
[[ -x .tools/dotnet-trace ]] || { echo "error: run bench/install-profilers.sh first" >&2; exit 2; }
types="bench/AllocationTypes/bin/Release/net10.0/Fraud.Streaming.AllocationTypes.dll"
[[ -f $types ]] || { echo "error: $types not built (dotnet build -c Release)" >&2; exit 2; }
# shellcheck source=bench/scorer-bench-env.sh
. bench/scorer-bench-env.sh

train_card_model
dotnet "$(bin Producer)" synthetic --count "$n" --seed 12 --rate 0 --label-delay-seconds 0 >/dev/null
start_scorer "$work/scorer.log" --Scorer:InitialModel="$work/model" --Scorer:FeatureSpecName=card-v1 "$@"
wait_scored "${WARMUP:-$((n / 5))}" "$work/scorer.log"
before=$(scorer_metric fraud_scorer_transactions_total)
.tools/dotnet-trace collect -p "$scorer_pid" --profile gc-verbose --duration "$(printf '00:00:00:%02d' "$duration")" \
  -o "$work/allocations.nettrace" >/dev/null 2>&1
after=$(scorer_metric fraud_scorer_transactions_total)
stop_scorer
((after < n)) || echo "warning: the backlog ran out before the trace ended" >&2
echo "== allocations by type while $((after - before)) transactions were scored ($duration s)"
dotnet "$types" "$work/allocations.nettrace" "$((after - before))" "$top"
