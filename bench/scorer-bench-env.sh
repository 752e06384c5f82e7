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

# scorer_seconds N LOG ARGS...: starts `scorer run` on $port with ARGS, times from /readyz until its own counter
# reaches N (each verdict produced and acknowledged) and sets $seconds; the scorer keeps running ($scorer_pid) for
# the caller to read its metrics, then stop_scorer. Call it directly, not in $(...), so both variables stay set.
scorer_seconds() {
  local n=$1 log=$2 start end scored
  shift 2
  dotnet "$(bin Scorer)" run --urls "http://127.0.0.1:$port" "$@" >"$log" 2>&1 &
  scorer_pid=$!
  until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "$scorer_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.05
  done
  start=$(date +%s.%N)
  while :; do
    scored=$(scorer_metric fraud_scorer_transactions_total)
    ((scored >= n)) && break
    kill -0 "$scorer_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.05
  done
  end=$(date +%s.%N)
  seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
}

# scorer_metric NAME: the sum of a metric's series on the running scorer.
scorer_metric() { curl -fsS "http://127.0.0.1:$port/metrics" 2>/dev/null | awk -v m="^$1" '$0 ~ m {s+=$2} END {print s+0}'; }

stop_scorer() { kill -TERM "$scorer_pid"; wait "$scorer_pid" 2>/dev/null || true; scorer_pid=; }
