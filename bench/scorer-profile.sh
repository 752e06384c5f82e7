#!/usr/bin/env bash
# Where the scorer's time goes on a backlog: N synthetic transactions are published, `scorer run` (card-v1 model, as in
# bench/scorer-vs-passthrough.sh) starts on them, and once it has scored WARMUP (N/5) dotnet-trace and dotnet-counters attach for
# SECONDS while it works through the backlog. dotnet-trace's `collect` samples managed stacks (profile
# dotnet-sampled-thread-time: wall-clock samples of every managed thread, blocked ones included; true CPU sampling is
# `collect-linux`, which needs kernel user_events), so the inclusive time of the scoring loop's methods splits the
# loop thread's wall time, which is what bounds throughput. Prints the top methods, inclusive and exclusive, the
# runtime counters summed over the window (GC count per generation, bytes allocated, GC pause time, CPU time) and the
# transactions scored meanwhile, to turn sampled milliseconds into microseconds per transaction.
#   bench/scorer-profile.sh [N=100000] [SECONDS=4] [TOP=40] [OUT=folder to keep the .nettrace and counters in] [SCORER ARGS...]
# (e.g. --Scorer:ReasonsFor=none to see the loop without reasons).
# Needs the dev stack, a Release build and bench/install-profilers.sh. Choose N so the backlog outlasts SECONDS
# (the scorer scores about 20k tx/s on 2 shared cores) and N x ~400 bytes / 12 partitions stays under ~5 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
duration=${2:-4}
top=${3:-40}
out=${4:-}
shift $(($# < 4 ? $# : 4))
[[ -x .tools/dotnet-trace && -x .tools/dotnet-counters ]] || { echo "error: run bench/install-profilers.sh first" >&2; exit 2; }
# shellcheck source=bench/scorer-bench-env.sh
. bench/scorer-bench-env.sh
keep=${out:-$work}
mkdir -p "$keep"

train_card_model
dotnet "$(bin Producer)" synthetic --count "$n" --seed 12 --rate 0 --label-delay-seconds 0 >/dev/null

start_scorer "$work/scorer.log" --Scorer:InitialModel="$work/model" --Scorer:FeatureSpecName=card-v1 "$@"
# The window opens once WARMUP transactions (default N/5) are scored: a long-running scorer's steady state, past the JIT's first tier.
warmup=${WARMUP:-$((n / 5))}
wait_scored "$warmup" "$work/scorer.log"
span=$(printf '00:00:00:%02d' "$duration")
before=$(scorer_metric fraud_scorer_transactions_total)
.tools/dotnet-counters collect -p "$scorer_pid" --refresh-interval 1 --duration "$span" --format csv -o "$keep/counters.csv" \
  --counters System.Runtime >/dev/null 2>&1 &
counters_pid=$!
.tools/dotnet-trace collect -p "$scorer_pid" --profile dotnet-sampled-thread-time --duration "$span" -o "$keep/scorer.nettrace" >/dev/null 2>&1
after=$(scorer_metric fraud_scorer_transactions_total)
wait "$counters_pid" || true
decisions=$(curl -fsS "http://127.0.0.1:$port/metrics" | awk '/^fraud_scorer_transactions_total/ {printf "%s ", $0}')
scored=$((after - before))
stop_scorer

echo "== transactions scored while traced ($duration s, from $warmup scored + attach): $scored (of $n)"
((after < n)) || echo "warning: the backlog ran out before the trace ended: per-transaction figures include idle time" >&2
echo "== decisions so far (reasons are computed for review and decline): $decisions"
echo "== top $top inclusive (ms sampled, all threads)"
.tools/dotnet-trace report "$keep/scorer.nettrace" topN -n "$top" --inclusive 2>/dev/null
echo "== top $top exclusive"
.tools/dotnet-trace report "$keep/scorer.nettrace" topN -n "$top" 2>/dev/null
echo "== counters over the window (rates summed over 1 s samples; per transaction where it makes sense)"
# dotnet-counters may record fewer 1 s samples than the window has seconds (the last one is lost when it stops), so a
# per-transaction figure is the samples' mean rate over the whole window, divided by the transactions scored in it.
awk -F, -v tx="$scored" -v window="$duration" '$3 ~ /gc.collections|total_allocated|gc.pause.time|cpu.time|lock_contentions/ { sum[$3] += $NF; seen[$3]++ }
  END { for (k in sum) { whole = sum[k] / seen[k] * window; printf "%-90s %14.4f over %d s%s\n", k, sum[k], seen[k],
        (k ~ /total_allocated/ && tx > 0) ? sprintf(" = %.0f B/tx", whole / tx) : ((k ~ /time/ && tx > 0) ? sprintf(" = %.2f us/tx", whole * 1e6 / tx) : "") } }' \
  "$keep/counters.csv" | sort
