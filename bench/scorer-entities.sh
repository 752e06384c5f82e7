#!/usr/bin/env bash
# Scorer throughput with the merchant/device lookups against without, in one run, on the dev stack: a backlog of N
# synthetic transactions and their fraud reports is published once; the aggregator closes its days; then a scorer on a
# card-v1 model (card features only) and one on a card-entity-v1 model (card, merchant and device features, read from
# the aggregator's totals) each score the whole backlog in their own consumer group, ROUNDS times alternating.
#   bench/scorer-entities.sh [N=60000] [ROUNDS=3]
# Needs the dev stack (deploy/devstack.sh up) and a Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-60000}
rounds=${2:-3}
# shellcheck source=bench/scorer-bench-env.sh
. bench/scorer-bench-env.sh
export Kafka__EntityTotalsTopic=bench.$run.entities Kafka__LabelsDlqTopic=bench.$run.labels-dlq Aggregator__GroupId=bench.$run.aggregator
aggregator_pid=
trap '[[ -n $scorer_pid ]] && kill -TERM $scorer_pid 2>/dev/null; [[ -n $aggregator_pid ]] && kill -TERM $aggregator_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

dotnet "$(bin Producer)" synthetic --count 50000 --seed 11 --out-dir "$work/train" >/dev/null 2>&1
for spec in card-v1 card-entity-v1; do
  dotnet "$(bin Trainer)" train --spec "$spec" --transactions "$work/train/transactions.jsonl" --labels "$work/train/labels.jsonl" \
    --label-maturity-days 7 --out "$work/$spec" --no-register --no-announce >/dev/null
done
dotnet "$(bin Producer)" synthetic --count "$n" --seed 12 --rate 0 --label-delay-seconds 0 >/dev/null 2>&1

aport=$((port + 1))
dotnet "$(bin Aggregator)" --urls "http://127.0.0.1:$aport" --Aggregator:IdleAfterSeconds=1 >"$work/aggregator.log" 2>&1 &
aggregator_pid=$!
until curl -fsS "http://127.0.0.1:$aport/readyz" >/dev/null 2>&1; do
  kill -0 "$aggregator_pid" 2>/dev/null || { cat "$work/aggregator.log" >&2; exit 1; }
  sleep 0.1
done
sleep 3 # idle partitions close their last days

score() { # spec group -> seconds
  local stale
  scorer_seconds "$n" "$work/scorer-$2.log" --Scorer:InitialModel="$work/$1" --Scorer:FeatureSpecName="$1" --Scorer:GroupId="$2"
  if [[ $1 == card-entity-v1 ]]; then
    stale=$(scorer_metric fraud_scorer_entity_stale_total)
    ((stale == 0)) || { echo "$stale transactions read stale entity days: the aggregator was not done" >&2; exit 1; }
  fi
  stop_scorer
  echo "$seconds"
}

declare -A rates
for ((r = 1; r <= rounds; r++)); do
  for spec in card-v1 card-entity-v1; do
    seconds=$(score "$spec" "bench.$run.$spec.$r")
    rate=$(awk -v n="$n" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
    rates[$spec]+="$rate "
    echo "round $r $spec: $n transactions in $seconds s = $rate tx/s"
  done
done
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
without=$(median "${rates[card-v1]}")
with=$(median "${rates[card-entity-v1]}")
awk -v a="$without" -v b="$with" 'BEGIN { printf "median: card-v1 %d tx/s, card-entity-v1 %d tx/s: entity features cost %.1f%% of the throughput\n", a, b, 100 * (1 - b / a) }'
