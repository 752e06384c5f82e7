#!/usr/bin/env bash
# The scorer beside the broker's own speed, in one run: a backlog of N synthetic transactions is moved by a bare
# Confluent.Kafka consume -> produce of the same bytes with the scorer's client settings and commit policy
# (bench/Passthrough), then scored by the scorer (card-v1 model, so the core alone: no aggregator), alternately,
# ROUNDS times, each in its own consumer group. Prints each round and the ratio of the medians.
#   bench/scorer-vs-passthrough.sh [N=100000] [ROUNDS=3] [SCORER SETTINGS...]
# e.g. bench/scorer-vs-passthrough.sh 50000 3 --Scorer:ReasonsFor=none   (what reasons cost, beside the same passthrough)
# Needs the dev stack (deploy/devstack.sh up) and a Release build (dotnet build -c Release). Keep N x ~400 bytes
# / 12 partitions under the dev Kafka's ~5 MiB per partition, or the mock drops the oldest messages.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
rounds=${2:-3}
settings=("${@:3}")
# shellcheck source=bench/scorer-bench-env.sh
. bench/scorer-bench-env.sh
passthrough="bench/Passthrough/bin/Release/net10.0/Fraud.Streaming.Passthrough.dll"
[[ -f $passthrough ]] || { echo "error: $passthrough not built (dotnet build -c Release)" >&2; exit 2; }

dotnet "$(bin Producer)" synthetic --count 50000 --seed 11 --out-dir "$work/train" >/dev/null
dotnet "$(bin Trainer)" train --spec card-v1 --transactions "$work/train/transactions.jsonl" --labels "$work/train/labels.jsonl" \
  --label-maturity-days 7 --out "$work/model" --no-register --no-announce >/dev/null
dotnet "$(bin Producer)" synthetic --count "$n" --seed 12 --rate 0 --label-delay-seconds 0 >/dev/null

declare -A rates
for ((r = 1; r <= rounds; r++)); do
  out=$(dotnet "$passthrough" "$Kafka__BootstrapServers" "$Kafka__TransactionsTopic" "bench.$run.copy.$r" "bench.$run.passthrough.$r" "$n")
  seconds=$(awk '{print $(NF-1)}' <<<"$out")
  rate=$(awk -v n="$n" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
  rates[passthrough]+="$rate "
  echo "round $r passthrough: $n messages in $seconds s = $rate msg/s"
  scorer_seconds "$n" "$work/scorer-$r.log" --Scorer:InitialModel="$work/model" --Scorer:FeatureSpecName=card-v1 \
    --Scorer:GroupId="bench.$run.scorer.$r" "${settings[@]}"
  stop_scorer
  rate=$(awk -v n="$n" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
  rates[scorer]+="$rate "
  echo "round $r scorer:      $n transactions in $seconds s = $rate tx/s"
done
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
p=$(median "${rates[passthrough]}")
s=$(median "${rates[scorer]}")
awk -v p="$p" -v s="$s" 'BEGIN { printf "median: passthrough %d msg/s, scorer %d tx/s: scorer = %.2fx passthrough\n", p, s, s / p }'
