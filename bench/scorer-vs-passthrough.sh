#!/usr/bin/env bash
# The scorer beside the broker's own speed, in one run: a backlog of N synthetic transactions is moved by a bare
# Confluent.Kafka consume -> produce of the same bytes with the scorer's client settings and commit policy
# (bench/Passthrough), then scored by the scorer (card-v1 model, so the core alone: no aggregator), alternately,
# ROUNDS times, each in its own consumer group. Prints each round and the ratio of the medians.
#   bench/scorer-vs-passthrough.sh [N=100000] [ROUNDS=3] [SCORER SETTINGS...]
# e.g. bench/scorer-vs-passthrough.sh 50000 3 --Scorer:ReasonsFor=none   (what reasons cost, beside the same passthrough)
# WARMUP (default N/5): messages each side moves before its clock starts, so a round measures the steady state of a
# long-running process rather than the JIT's first tier (WARMUP=0 times the whole backlog, start-up included).
# With SCORER_BASELINE set to another build's Fraud.Streaming.Scorer.dll (e.g. of main, for a before/after), each
# round also runs that scorer beside this tree's (the order alternating by round) and the medians of both are
# printed: on shared cores a before/after from separate runs is lost in the load's changes, one from the same rounds
# is not. Each scorer round also prints the scorer's CPU time (user + system) per transaction.
# Needs the dev stack (deploy/devstack.sh up) and a Release build (dotnet build -c Release). Keep N x ~400 bytes
# / 12 partitions under the dev Kafka's ~5 MiB per partition, or the mock drops the oldest messages.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
rounds=${2:-3}
settings=("${@:3}")
warmup=${WARMUP:-$((n / 5))}
# The passthrough's micro-batch: the scorer's defaults (Scorer:MaxBatchSize, Scorer:MaxBatchWaitMs) unless set, so a
# scorer run with other batch settings is compared with a passthrough batching alike.
batch=${BATCH:-512}
batch_wait_ms=${BATCH_WAIT_MS:-20}
# shellcheck source=bench/scorer-bench-env.sh
. bench/scorer-bench-env.sh
passthrough="bench/Passthrough/bin/Release/net10.0/Fraud.Streaming.Passthrough.dll"
[[ -f $passthrough ]] || { echo "error: $passthrough not built (dotnet build -c Release)" >&2; exit 2; }
[[ -z ${SCORER_BASELINE:-} || -f $SCORER_BASELINE ]] || { echo "error: SCORER_BASELINE $SCORER_BASELINE does not exist" >&2; exit 2; }

train_card_model
dotnet "$(bin Producer)" synthetic --count "$n" --seed 12 --rate 0 --label-delay-seconds 0 >/dev/null

declare -A rates
echo "each side moves $warmup of $n before its clock starts; the passthrough's batches: $batch messages or $batch_wait_ms ms"
for ((r = 1; r <= rounds; r++)); do
  out=$(dotnet "$passthrough" "$Kafka__BootstrapServers" "$Kafka__TransactionsTopic" "bench.$run.copy.$r" "bench.$run.passthrough.$r" "$n" "$batch" "$batch_wait_ms" "$warmup")
  read -r moved seconds < <(awk '{print $2, $(NF-1)}' <<<"$out")
  rate=$(awk -v n="$moved" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
  rates[passthrough]+="$rate "
  printf 'round %d %-12s %d messages in %s s = %s msg/s\n' "$r" "passthrough:" "$moved" "$seconds" "$rate"
  order="scorer ${SCORER_BASELINE:+baseline}"
  # Every other round the baseline goes first, so neither build always meets the machine's state second.
  [[ -n ${SCORER_BASELINE:-} ]] && ((r % 2 == 0)) && order="baseline scorer"
  for which in $order; do
    scorer_dll=
    [[ $which == baseline ]] && scorer_dll=$SCORER_BASELINE
    scorer_seconds "$n" "$work/$which-$r.log" --Scorer:InitialModel="$work/model" --Scorer:FeatureSpecName=card-v1 \
      --Scorer:GroupId="bench.$run.$which.$r" "${settings[@]}"
    stop_scorer
    rates[$which]+="$tx_per_s "
    printf 'round %d %-12s %d transactions in %s s = %s tx/s (%s us CPU/tx)\n' "$r" "$which:" "$timed" "$seconds" "$tx_per_s" "$cpu_us_per_tx"
  done
done
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
p=$(median "${rates[passthrough]}")
s=$(median "${rates[scorer]}")
awk -v p="$p" -v s="$s" 'BEGIN { printf "median: passthrough %d msg/s, scorer %d tx/s: scorer = %.2fx passthrough\n", p, s, s / p }'
if [[ -n ${SCORER_BASELINE:-} ]]; then
  b=$(median "${rates[baseline]}")
  awk -v p="$p" -v b="$b" -v s="$s" 'BEGIN { printf "median: baseline %d tx/s = %.2fx passthrough; this tree / baseline = %.2f\n", b, b / p, s / b }'
fi
