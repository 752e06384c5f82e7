# Sourced by the scorer benchmark scripts: the dev stack's environment, a scratch folder, a free-ish port,
# topic and group names unique to this run, and a trap that stops the scorer ($scorer_pid) and cleans up.
# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this file
set -a
# shellcheck disable=SC1091
. .devstack/env
set +a
bin() { echo "src/$1/bin/Release/net10.0/Fraud.Streaming.$1.dll"; }
work=$(mktemp -d)
run=$(date +%s%N)
port=$((20000 + RANDOM % 20000))
scorer_pid=
trap '[[ -n $scorer_pid ]] && kill -TERM $scorer_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
export Kafka__TransactionsTopic=bench.$run.transactions Kafka__VerdictsTopic=bench.$run.verdicts \
  Kafka__LabelsTopic=bench.$run.labels Kafka__DlqTopic=bench.$run.dlq Kafka__ModelsTopic=bench.$run.models \
  Scorer__GroupId=bench.$run State__Directory="$work/state"

# train_card_model: a card-v1 model ($work/model) trained on 50,000 synthetic transactions (seed 11), the model the
# scorer benchmarks serve (card features only, so no aggregator is needed).
train_card_model() {
  dotnet "$(bin Producer)" synthetic --count 50000 --seed 11 --out-dir "$work/train" >/dev/null
  dotnet "$(bin Trainer)" train --spec card-v1 --transactions "$work/train/transactions.jsonl" --labels "$work/train/labels.jsonl" \
    --label-maturity-days 7 --out "$work/model" --no-register --no-announce >/dev/null
}

# start_scorer LOG ARGS...: starts `scorer run` ($scorer_dll, this tree's Release build unless set) on $port with ARGS,
# logging to LOG, and returns once /readyz answers; $scorer_pid is the process, for stop_scorer.
start_scorer() {
  local log=$1
  shift
  dotnet "${scorer_dll:-$(bin Scorer)}" run --urls "http://127.0.0.1:$port" "$@" >"$log" 2>&1 &
  scorer_pid=$!
  until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    scorer_alive "$log"
    sleep 0.05
  done
}

# wait_scored N LOG: returns once the running scorer's own counter has reached N (each verdict produced and
# acknowledged) and sets $scored to the count it read; exits with the scorer's log if the scorer has died.
wait_scored() {
  while :; do
    scored=$(scorer_metric fraud_scorer_transactions_total)
    ((scored >= $1)) && return
    scorer_alive "$2"
    sleep 0.05
  done
}

scorer_alive() { kill -0 "$scorer_pid" 2>/dev/null || { cat "$1" >&2; exit 1; }; }

# scorer_seconds N LOG ARGS...: start_scorer with ARGS, then waits until the scorer has scored N. The clock starts at
# /readyz or, with $warmup set, once the counter has passed $warmup transactions (so the JIT's first tier and the
# first fetches are behind it). Sets $seconds, $timed (transactions within the clock), $tx_per_s (their rate) and
# $cpu_us_per_tx (the process's CPU time, user and system, over the same span per transaction); the scorer keeps
# running ($scorer_pid) for the caller to read its metrics, then stop_scorer. Call it directly, not in $(...), so
# the variables stay set.
scorer_seconds() {
  local n=$1 log=$2 start end from=0 cpu_start cpu_end
  shift 2
  start_scorer "$log" "$@"
  if ((${warmup:-0} > 0)); then
    wait_scored "$warmup" "$log"
    from=$scored
  fi
  start=$(date +%s.%N)
  cpu_start=$(scorer_metric process_cpu_seconds_total)
  wait_scored "$n" "$log"
  end=$(date +%s.%N)
  cpu_end=$(scorer_metric process_cpu_seconds_total)
  timed=$((scored - from))
  seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
  tx_per_s=$(awk -v n="$timed" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
  cpu_us_per_tx=$(awk -v s="$cpu_start" -v e="$cpu_end" -v n="$timed" 'BEGIN { printf "%.1f", (e - s) * 1e6 / n }')
}

# scorer_metric NAME: the sum of a metric's series on the running scorer.
scorer_metric() { curl -fsS "http://127.0.0.1:$port/metrics" 2>/dev/null | awk -v m="^$1" '$0 ~ m {s+=$2} END {print s+0}'; }

stop_scorer() { kill -TERM "$scorer_pid"; wait "$scorer_pid" 2>/dev/null || true; scorer_pid=; }
