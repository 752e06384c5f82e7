#!/usr/bin/env bash
# Where the scorer's CPU goes, thread by thread: N synthetic transactions are published, `scorer run` (card-v1 model, as
# in bench/scorer-vs-passthrough.sh) starts on them, and once it has scored WARMUP (N/5) `perf record -e cpu-clock`
# samples the process at 999 Hz for SECONDS. Unlike bench/scorer-profile.sh (wall-clock stacks of every thread, blocked
# ones included), these are CPU samples only: a thread waiting on the broker or on another thread costs nothing here.
# Prints each thread's CPU in microseconds per transaction scored meanwhile (the scoring loop, the thread-pool threads
# that explain and produce verdicts, librdkafka's, the JIT's), then the top symbols of the busiest threads (.NET code
# by name: the runtime writes a perf map, DOTNET_PerfMapEnabled=1, with W^X off so the map's addresses are the code's).
#   bench/scorer-cpu.sh [N=180000] [SECONDS=1] [TOP=25] [SCORER ARGS...]
# Needs the dev stack, a Release build and perf (bench/install-profilers.sh installs Debian's linux-perf). Choose N so
# the backlog outlasts the window (past its warm-up the scorer scores about 60k tx/s on 2 shared cores; the dev Kafka
# holds about 180,000 of these transactions).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-180000}
duration=${2:-1}
top=${3:-25}
shift $(($# < 3 ? $# : 3))
command -v perf >/dev/null || { echo "error: perf not found: run bench/install-profilers.sh first" >&2; exit 2; }
# shellcheck source=bench/scorer-bench-env.sh
. bench/scorer-bench-env.sh
hz=999

train_card_model
dotnet "$(bin Producer)" synthetic --count "$n" --seed 12 --rate 0 --label-delay-seconds 0 >/dev/null

DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 start_scorer "$work/scorer.log" --Scorer:InitialModel="$work/model" \
  --Scorer:FeatureSpecName=card-v1 "$@"
warmup=${WARMUP:-$((n / 5))}
wait_scored "$warmup" "$work/scorer.log"
# The counter is read by perf's own workload, so the count and the samples cover the same span (perf takes a while to
# attach and to write its data, both outside it).
export port
export -f scorer_metric
# shellcheck disable=SC2016  # expanded by the workload's shell
perf record -e cpu-clock -F "$hz" -p "$scorer_pid" -o "$work/perf.data" -- bash -c \
  'scorer_metric fraud_scorer_transactions_total >"$0"; sleep "$1"; scorer_metric fraud_scorer_transactions_total >"$2"' \
  "$work/before" "$duration" "$work/after" >/dev/null 2>&1
after=$(<"$work/after")
scored=$((after - $(<"$work/before")))
# Read while the process still runs: perf resolves its JIT-compiled code through the map the runtime keeps for it.
perf script -i "$work/perf.data" -F comm 2>/dev/null >"$work/comms"
perf report -i "$work/perf.data" --stdio --sort comm,sym 2>/dev/null >"$work/report" || true
stop_scorer

echo "== $scored transactions scored in the $duration s window (from $warmup scored, of $n)"
((after < n)) || echo "warning: the backlog ran out before the window ended: per-transaction figures include idle time" >&2
echo "== CPU per thread (samples at $hz Hz), microseconds per transaction"
awk -v hz="$hz" -v tx="$scored" '{ $1 = $1; count[$0]++; total++ }
  END { for (c in count) printf "%8.2f us/tx  %5.1f%%  %s\n", count[c] / hz * 1e6 / tx, 100 * count[c] / total, c
        printf "%8.2f us/tx  100.0%%  (all threads)\n", total / hz * 1e6 / tx }' "$work/comms" | sort -rn
for thread in scorer-loop ".NET TP Worker"; do
  echo "== top $top symbols of $thread (share of the process's samples)"
  # awk stops by itself at TOP lines: a head closing the pipe would fail the pipeline (pipefail) and end the script.
  awk -v t="$thread" -v top="$top" 'index($0, " " t " ") && $1 ~ /%$/ { print substr($0, 1, 200); if (++n == top) exit }' "$work/report"
done
