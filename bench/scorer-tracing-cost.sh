#!/usr/bin/env bash
# What tracing costs the scorer, in one run: the same backlog of N transactions is scored with tracing off, and with
# it on (spans exported over OTLP/HTTP to bench/otlp-sink.py) when 1% and when 100% of the transactions were published
# in sampled traces (the producer's OTEL_TRACES_SAMPLER=traceidratio); the modes alternate, ROUNDS times. Prints each
# round and each mode's median against tracing off.
#   bench/scorer-tracing-cost.sh [N=50000] [ROUNDS=2]
# Needs the dev stack (deploy/devstack.sh up) and a Release build (dotnet build -c Release).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50000}
rounds=${2:-2}
# shellcheck source=bench/scorer-bench-env.sh
. bench/scorer-bench-env.sh
sink_port=$((port + 1))
python3 bench/otlp-sink.py "$sink_port" &
sink_pid=$!
trap '[[ -n $scorer_pid ]] && kill -TERM $scorer_pid 2>/dev/null; kill $sink_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
otel=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)

train_card_model

modes=(off 0.01 1)
for mode in "${modes[@]}"; do
  topic="bench.$run.transactions.$mode"
  if [[ $mode == off ]]; then
    Kafka__TransactionsTopic=$topic dotnet "$(bin Producer)" synthetic --count "$n" --seed 12 --rate 0 --label-delay-seconds 0 >/dev/null
  else
    env "${otel[@]}" OTEL_TRACES_SAMPLER=traceidratio OTEL_TRACES_SAMPLER_ARG="$mode" Kafka__TransactionsTopic="$topic" \
      dotnet "$(bin Producer)" synthetic --count "$n" --seed 12 --rate 0 --label-delay-seconds 0 >/dev/null
  fi
done

declare -A rates
for ((r = 1; r <= rounds; r++)); do
  for mode in "${modes[@]}"; do
    args=(--Scorer:InitialModel="$work/model" --Scorer:FeatureSpecName=card-v1 --Scorer:GroupId="bench.$run.scorer.$mode.$r"
      --Kafka:TransactionsTopic="bench.$run.transactions.$mode")
    if [[ $mode == off ]]; then
      scorer_seconds "$n" "$work/scorer-$mode-$r.log" "${args[@]}"
    else
      export "${otel[@]}"
      scorer_seconds "$n" "$work/scorer-$mode-$r.log" "${args[@]}"
      unset OTEL_EXPORTER_OTLP_ENDPOINT OTEL_EXPORTER_OTLP_PROTOCOL
    fi
    stop_scorer
    rate=$(awk -v n="$n" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
    rates[$mode]+="$rate "
    echo "round $r tracing $([[ $mode == off ]] && echo "off" || echo "on, $mode of transactions sampled"): $n in $seconds s = $rate tx/s"
  done
done
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
off=$(median "${rates[off]}")
for mode in "${modes[@]}"; do
  m=$(median "${rates[$mode]}")
  awk -v m="$m" -v o="$off" -v mode="$mode" 'BEGIN { printf "median %-5s %6d tx/s = %.2fx tracing off\n", mode, m, m / o }'
done
