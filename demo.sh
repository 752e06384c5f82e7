#!/usr/bin/env bash
# README command 1: the whole loop on embedded defaults, on one machine.
#   dev stack up -> producer, monitoring and aggregator gather history -> train v1 -> scorer on v1
#   -> traffic keeps flowing -> train v2 -> scorer hot-swaps -> traffic stops -> summary.
# Leaves no process running. Tunables (environment): DEMO_RATE (tx/s, default 1500),
# DEMO_HISTORY_SECONDS (default 45), DEMO_V2_AFTER_SECONDS (default 25), DEMO_CARDS (default 3000),
# DEMO_MALFORMED (default 25), DEMO_LINGER_MS (producer batching, default 50), DEMO_SPEEDUP (event time per
# wall time, default 172800: two days a second, so fraud reports arrive as they would, days later).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rate=${DEMO_RATE:-1500}
history_seconds=${DEMO_HISTORY_SECONDS:-45}
v2_after=${DEMO_V2_AFTER_SECONDS:-25}
cards=${DEMO_CARDS:-3000}
malformed=${DEMO_MALFORMED:-25}
# The dev Kafka (librdkafka's mock) walks a partition's record batches on every fetch, so traffic made of
# one-message batches slows every consumer as history grows; a 50 ms linger batches ~6 messages per partition.
linger=${DEMO_LINGER_MS:-50}
speedup=${DEMO_SPEEDUP:-172800}
# Consumers refuse event times beyond their clock (plus a day): the producer runs at most this long and starts
# far enough back that its last transaction and the last label after it (the producer plans for pace variation,
# the longest scenario and the maturity window) lie before now.
producer_seconds=900
first_event=$(date -u -d "@$(( $(date +%s) - producer_seconds * ${speedup%.*} * 102 / 100 - 120 * 86400 ))" +%Y-%m-%dT%H:%M:%SZ)
scorer_url=http://127.0.0.1:9401
monitoring_url=http://127.0.0.1:9402
aggregator_url=http://127.0.0.1:9403
run=.devstack/demo
# The scorer's card-state snapshots stay with the demo's other files.
export State__Directory=$run/state
# The model store, for the trainer that stores packages and the scorer that loads only from inside it.
export ModelStore__Folder=$PWD/$run/models
# Event time runs 172800x wall time here, so the default entity lag (3 h: 60 ms of wall time) would leave the
# aggregator no slack to close a day before the scorer needs it; the demo's models read days that ended a day ago,
# and fraud reports may reach the aggregator up to 12 event-hours (a quarter second) behind the transactions.
entity_lag_hours=24
export Scorer__EntityLagHours=$entity_lag_hours Aggregator__LabelLagHours=12
bin() { echo "src/$1/bin/Release/net10.0/Fraud.Streaming.$1.dll"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
started=$(date +%s)

pids=()
cleanup() {
  local code=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  deploy/devstack.sh down >/dev/null 2>&1 || true
  if ((code != 0)); then
    echo "demo failed (exit $code); logs are in $run/" >&2
  fi
  exit "$code"
}
trap cleanup EXIT INT TERM

say "Building (Release)"
dotnet build Fraud.Streaming.sln -c Release -nologo -v q -clp:ErrorsOnly

say "Starting the dev stack (PostgreSQL, dev Kafka, Prometheus, Alertmanager, Pushgateway)"
deploy/devstack.sh down >/dev/null 2>&1 || true
deploy/devstack.sh up --no-s3
set -a
# shellcheck disable=SC1091
. .devstack/env
set +a
cat <<WHERE
Prometheus   $FRAUD_PROMETHEUS_URL  (scrapes the scorer at $scorer_url and monitoring at $monitoring_url; the shipped rules and alerts)
Alertmanager $FRAUD_ALERTMANAGER_URL  (alerts from those rules)
Pushgateway  $FRAUD_PUSHGATEWAY_URL  (the trainer pushes each run's figures here)
All three stop when the demo ends.
WHERE
rm -rf "$run" && mkdir -p "$run/models"

psqlq() { psql "host=127.0.0.1 port=${FRAUD_PG_PORT:-55432} user=postgres dbname=fraud" -XAtqc "$1"; }
wait_http() { # url seconds
  for _ in $(seq 1 $(($2 * 5))); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "timed out waiting for $1" >&2; return 1
}
start() { # name args...
  local name=$1; shift
  dotnet "$@" >"$run/$name.log" 2>&1 &
  pids+=($!)
  echo "$name started (pid $!, log $run/$name.log)"
}
alive() { # name pid
  kill -0 "$2" 2>/dev/null || { echo "$1 exited unexpectedly; last lines of its log:" >&2; tail -n 30 "$run/$1.log" >&2; exit 1; }
}

say "Monitoring: history writer"
start monitoring "$(bin Monitoring)" --urls "$monitoring_url"
monitoring_pid=${pids[-1]}
wait_http "$monitoring_url/healthz" 60

say "Aggregator: merchant and device day totals for the scorers"
start aggregator "$(bin Aggregator)" --urls "$aggregator_url"
aggregator_pid=${pids[-1]}
wait_http "$aggregator_url/healthz" 60

say "Producer: $cards cards at $rate tx/s, event time ${speedup}x wall time, fraud reports as issuers send them, $malformed malformed messages"
start producer "$(bin Producer)" synthetic --cards "$cards" --rate "$rate" --duration-seconds "$producer_seconds" --speedup "$speedup" --start "$first_event" \
  --scenario-mix card_testing=0.3,account_takeover=0.2,stolen_card_abroad=0.2,merchant_compromise=0.15,bust_out=0.15,compromised_merchant=0.05 \
  --malformed "$malformed" --seed 7 --linger-ms "$linger"
producer_pid=${pids[-1]}

echo "gathering labelled history for ${history_seconds}s ..."
sleep "$history_seconds"
alive producer "$producer_pid"; alive monitoring "$monitoring_pid"; alive aggregator "$aggregator_pid"
echo "history: $(psqlq 'select count(*) from transactions') transactions, $(psqlq 'select count(*) from labels') labels (fraud reports and reviews)"

say "Trainer: model v1 from Postgres"
dotnet "$(bin Trainer)" train --entity-lag-hours "$entity_lag_hours" --out "$run/v1" | tee "$run/train-v1.log"
v1=$(psqlq "select version from model_versions order by created_at limit 1")

say "Scorer: starting on the announced model ($v1)"
start scorer "$(bin Scorer)" run --urls "$scorer_url"
scorer_pid=${pids[-1]}
for _ in $(seq 1 300); do curl -fsS "$scorer_url/readyz" >/dev/null 2>&1 && break; alive scorer "$scorer_pid"; sleep 0.2; done
curl -fsS "$scorer_url/readyz" >/dev/null || { echo "scorer never became ready" >&2; exit 1; }
ready_at=$(date +%s.%N)
echo "scorer ready, serving $v1; traffic keeps flowing for ${v2_after}s"
sleep "$v2_after"
alive producer "$producer_pid"; alive scorer "$scorer_pid"

say "Trainer: model v2 on the longer history, while traffic flows"
dotnet "$(bin Trainer)" train --entity-lag-hours "$entity_lag_hours" --out "$run/v2" | tee "$run/train-v2.log"
v2=$(psqlq "select version from model_versions order by created_at desc limit 1")
if grep -q "champion=false" "$run/train-v2.log"; then
  echo "v2 did not beat v1 on v2's own holdout, so the trainer kept v1 as champion (see above)."
  echo "Promoting v2 by hand to show the hot swap:"
  dotnet "$(bin Trainer)" models promote "$v2" | tee -a "$run/train-v2.log"
fi
for _ in $(seq 1 150); do
  curl -fsS "$scorer_url/metrics" 2>/dev/null | grep -q "fraud_scorer_model_info{version=\"$v2\"} 1" && break
  alive scorer "$scorer_pid"; sleep 0.2
done
echo "scorer now serving: $(curl -fsS "$scorer_url/metrics" | grep '^fraud_scorer_model_info' | grep ' 1$' | sed 's/.*version="\([^"]*\)".*/\1/')"
sleep 10

say "Stopping traffic and draining"
kill -TERM "$producer_pid"
wait "$producer_pid" || true
produced=$(grep -o 'produced transactions=[0-9]*' "$run/producer.log" | tail -n 1 | cut -d= -f2)
dlq=$(curl -fsS "$scorer_url/metrics" | awk '/^fraud_scorer_dlq_total/ {s+=$2} END {print s+0}')
valid=$((produced))
for _ in $(seq 1 600); do
  scored=$(psqlq 'select count(*) from verdicts')
  [[ $scored -ge $valid ]] && break
  alive scorer "$scorer_pid"; alive monitoring "$monitoring_pid"; sleep 0.2
done
dlq=$(curl -fsS "$scorer_url/metrics" | awk '/^fraud_scorer_dlq_total/ {s+=$2} END {print s+0}')
swaps=$(curl -fsS "$scorer_url/metrics" | awk '/^fraud_scorer_model_swaps_total/ {s+=$2} END {print s+0}')
stale=$(curl -fsS "$scorer_url/metrics" | awk '/^fraud_scorer_entity_stale_total/ {s+=$2} END {print s+0}')
late=$(curl -fsS "$aggregator_url/metrics" | awk '/^fraud_aggregator_late_events_total/ {s+=$2} END {print s+0}')
closed=$(curl -fsS "$aggregator_url/metrics" | awk '/^fraud_aggregator_closed_timestamp_seconds/ {if (m == "" || $2 < m) m = $2} END {printf "%d", m}')

summary=$(psqlq "
with v as (select * from verdicts),
     j as (select v.decision, v.model_version, coalesce(l.first_fraud_at is not null or l.is_fraud, false) as is_fraud
             from v left join labels l using (transaction_id))
select
  (select count(*) from transactions),
  (select count(*) from v),
  (select count(*) from (select transaction_id from v group by 1 having count(*) > 1) d),
  (select string_agg(version || ' auc=' || round(roc_auc::numeric, 4) || ' pr_auc=' || round(pr_auc::numeric, 4), '; ' order by created_at) from model_versions),
  (select round(100.0 * avg(case when decision <> 'approve' then 1 else 0 end), 1) from j where is_fraud),
  (select round(100.0 * avg(case when decision = 'decline' then 1 else 0 end), 1) from j where is_fraud),
  (select round(100.0 * avg(case when decision <> 'approve' then 1 else 0 end), 2) from j where not is_fraud),
  (select count(*) from j where is_fraud),
  (select count(*) from v where scored_at - latency_ms * interval '1 ms' < to_timestamp($ready_at)),
  (select round(extract(epoch from max(scored_at) - to_timestamp($ready_at))::numeric, 1) from v where scored_at - latency_ms * interval '1 ms' < to_timestamp($ready_at)),
  (select max(n) from (select date_trunc('second', scored_at), count(*) n from v group by 1) s),
  (select round(percentile_cont(0.5) within group (order by latency_ms)::numeric, 1) from v where scored_at - latency_ms * interval '1 ms' > to_timestamp($ready_at) + interval '10 s'),
  (select round(percentile_cont(0.99) within group (order by latency_ms)::numeric, 1) from v where scored_at - latency_ms * interval '1 ms' > to_timestamp($ready_at) + interval '10 s'),
  (select string_agg(model_version || ': ' || n, ', ' order by model_version) from (select model_version, count(*) n from v group by 1) m)
")
IFS='|' read -r tx_rows scored dupes models caught declined fp_rate fraud_labelled backlog catchup peak p50 p99 by_model <<<"$summary"

# One number from the dev Prometheus ("none" when the query has no result).
promq() {
  curl -fsS "$FRAUD_PROMETHEUS_URL/api/v1/query" --data-urlencode "query=$1" 2>/dev/null |
    python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(round(float(r[0]["value"][1]), 3) if r else "none")' 2>/dev/null || echo none
}

# The firing alerts by name, e.g. "FraudModelDrift x2, FraudScorerStopped" ("none" when nothing fires).
firing() {
  curl -fsS "$FRAUD_PROMETHEUS_URL/api/v1/query" --data-urlencode 'query=count by (alertname) (ALERTS{alertstate="firing"})' 2>/dev/null |
    python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(", ".join(x["metric"]["alertname"] + ("" if x["value"][1] == "1" else " x" + x["value"][1]) for x in sorted(r, key=lambda x: x["metric"]["alertname"])) or "none")' 2>/dev/null || echo none
}

say "Summary"
cat <<SUMMARY
transactions produced      $produced valid + $malformed malformed
transactions in history    $tx_rows
transactions scored        $scored (duplicates: $dupes) — by model: $by_model
dead-letter queue          $dlq messages (fraud_scorer_dlq_total)
models                     $models
model swaps in the scorer  $swaps ($v1 -> $v2, no restart)
fraud caught               $caught% of $fraud_labelled reported frauds reviewed or declined ($declined% declined); $fp_rate% of unreported transactions flagged
entity features            aggregator closed days through $(date -u -d "@$((closed - 1))" +%F 2>/dev/null || echo none) (event time); $late late events corrected; $stale verdicts read older days than their own
scorer throughput          backlog of $backlog transactions scored ${catchup} s after start; peak $peak verdicts/s (1 s buckets)
latency publish->verdict   p50 ${p50} ms, p99 ${p99} ms (traffic published from 10 s after the scorer was ready, at $rate tx/s)
metrics endpoint           $scorer_url/metrics (scorer), $monitoring_url/metrics (monitoring), $aggregator_url/metrics (aggregator) — live while the demo runs
prometheus                 $FRAUD_PROMETHEUS_URL — scoring now at $(promq 'sum(fraud:scorer_transactions:rate1m)') tx/s, p99 latency over 5 min (backlog included) $(promq 'max(fraud:scorer_event_latency_seconds:p99_5m)') s; alerts firing: $(firing)
alertmanager               $FRAUD_ALERTMANAGER_URL
wall time                  $(( $(date +%s) - started )) s
SUMMARY
