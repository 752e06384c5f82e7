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
