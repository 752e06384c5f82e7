#!/usr/bin/env bash
# Card-state restore time on the dev stack. Publishes N synthetic transactions, lets `scorer run` score them
# with snapshots effectively off (interval 1 h), SIGKILLs it and starts it again: every partition is restored by
# a cold-start replay of its whole history. Then stops it gracefully (a snapshot per partition on revoke) and
# starts it once more: every partition is restored from its snapshot alone. Prints one line per restart with
# the scorer's own restore metrics (summed over partitions).
#   bench/scorer-restore.sh [N=40000] [CARDS=20000]
# Needs the dev stack (deploy/devstack.sh up) and a Release build. Keep N x ~400 bytes / 12 partitions under
# the dev Kafka's ~5 MiB per partition, or the mock drops the oldest messages.
set -euo pipefail
[[ -n ${BENCH_TRACE:-} ]] && set -x
cd "$(dirname "$0")/.."
n=${1:-40000}
cards=${2:-20000}
# shellcheck source=bench/scorer-bench-env.sh
. bench/scorer-bench-env.sh
export State__SnapshotIntervalSeconds=3600 Scorer__SessionTimeoutMs=6000

dotnet "$(bin Producer)" synthetic --count 20000 --seed 11 --out-dir "$work/train" >/dev/null 2>&1
dotnet "$(bin Trainer)" train --transactions "$work/train/transactions.jsonl" --labels "$work/train/labels.jsonl" \
  --out "$work/model" --no-register --no-announce --rounds 20 >/dev/null 2>&1
dotnet "$(bin Producer)" synthetic --count "$n" --cards "$cards" --seed 12 --linger-ms 50 --label-delay-seconds 0 >/dev/null 2>&1

# The sum of a metric's samples over all its labels.
metric() {
  curl -fsS "http://127.0.0.1:$port/metrics" 2>/dev/null |
    awk -v m="$1" '$1 == m || index($1, m "{") == 1 {s += $2} END {print s + 0}'
}
start_scorer() {
  dotnet "$(bin Scorer)" run --urls "http://127.0.0.1:$port" --Scorer:InitialModel="$work/model" >>"$work/scorer.log" 2>&1 &
  scorer_pid=$!
  until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "$scorer_pid" 2>/dev/null || { cat "$work/scorer.log" >&2; exit 1; }
    sleep 0.05
  done
}
report() {
  awk -v what="$1" -v s="$(metric fraud_scorer_state_restore_seconds_sum)" -v c="$(metric fraud_scorer_state_restore_seconds_count)" \
    -v cards="$(metric fraud_scorer_state_cards_restored_total)" -v ev="$(metric fraud_scorer_state_events_replayed_total)" \
    'BEGIN { printf "%s: %d partitions restored in %.3f s in all (%.3f s each on average): %d cards from snapshots, %d events replayed\n", what, c, s, (c ? s / c : 0), cards, ev }'
}

start_scorer
until (( $(metric fraud_scorer_transactions_total) >= n )); do sleep 0.1; done
kill -KILL "$scorer_pid"; wait "$scorer_pid" 2>/dev/null || true
# Past the session timeout, so the group does not wait for the killed member.
sleep 7
start_scorer
report "after SIGKILL, no snapshot (cold start)"
kill -TERM "$scorer_pid"; wait "$scorer_pid" 2>/dev/null || true
start_scorer
report "after a graceful stop (snapshots)"
