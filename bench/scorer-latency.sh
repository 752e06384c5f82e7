#!/usr/bin/env bash
# Publish-to-verdict latency at a steady rate below the scorer's maximum: the producer publishes synthetic traffic at
# RATE tx/s for SECONDS while the scorer (card-v1 model, as in bench/scorer-vs-passthrough.sh, so no aggregator)
# keeps up; prints p50, p90 and p99 of fraud_scorer_event_latency_seconds (Kafka publish timestamp to verdict
# produced), interpolated within its buckets, over the transactions of the run. Take RATE as half the maximum that
# bench/scorer-vs-passthrough.sh measures on the same machine.
#   bench/scorer-latency.sh [RATE=5000] [SECONDS=30]
# Needs the dev stack (deploy/devstack.sh up) and a Release build (dotnet build -c Release).
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-5000}
duration=${2:-30}
# shellcheck source=bench/scorer-bench-env.sh
. bench/scorer-bench-env.sh

train_card_model
# One transaction first, so the topic exists (consumers never create topics) and the scorer's card state is warm.
dotnet "$(bin Producer)" synthetic --count 1 --seed 12 --rate 0 --label-delay-seconds 0 >/dev/null 2>&1
scorer_seconds 1 "$work/scorer.log" --Scorer:InitialModel="$work/model" --Scorer:FeatureSpecName=card-v1
dotnet "$(bin Producer)" synthetic --seed 13 --rate "$rate" --duration-seconds "$duration" --label-delay-seconds 0 >/dev/null 2>&1 &
producer_pid=$!
wait "$producer_pid"
sleep 2
curl -fsS "http://127.0.0.1:$port/metrics" | awk -v rate="$rate" -v secs="$duration" '
  /^fraud_scorer_event_latency_seconds_bucket/ { match($0, /le="[^"]+"/); le = substr($0, RSTART + 4, RLENGTH - 5); n++; bound[n] = le; count[n] = $2 }
  /^fraud_scorer_event_latency_seconds_count/ { total = $2 }
  function q(p,   target, i, lo, clo) {
    target = p * total; lo = 0; clo = 0
    for (i = 1; i <= n; i++) {
      if (count[i] >= target) {
        if (bound[i] == "+Inf") return "> " bound[i - 1] " s"
        return sprintf("%.1f ms", 1000 * (lo + (bound[i] - lo) * (target - clo) / (count[i] - clo)))
      }
      lo = bound[i]; clo = count[i]
    }
  }
  END { printf "%d transactions at %d tx/s for %d s: p50 %s, p90 %s, p99 %s (publish -> verdict, within histogram buckets)\n", total, rate, secs, q(0.5), q(0.9), q(0.99) }'
stop_scorer
