#!/usr/bin/env bash
# README command 2: builds everything and runs every test against real servers
# (PostgreSQL, the dev Kafka, the S3 stand-in, Prometheus, Alertmanager, a Pushgateway) that
# deploy/devstack.sh starts and stops, with the tools that check the deploy files (promtool, amtool,
# docker-compose, tsc with Grafana's dashboard types; kubectl comes with the machine image).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results=.devstack/test-results
deploy/devstack.sh tools
deploy/devstack.sh up
trap 'deploy/devstack.sh down' EXIT
set -a
# shellcheck disable=SC1091
. .devstack/env
set +a

dotnet build Fraud.Streaming.sln -c Release -nologo -v q -clp:ErrorsOnly
rm -rf "$results"

status=0
# Unit and integration tests first (they run in parallel per assembly), then the end-to-end
# tests alone: they start the deployables as processes and want the two cores to themselves.
dotnet test Fraud.Streaming.sln -c Release --no-build --nologo \
  --filter "FullyQualifiedName!~Fraud.Streaming.EndToEnd.Tests" \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?
dotnet test tests/EndToEnd.Tests -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [[ -f $trx ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" || true)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  p=$(get passed) f=$(get failed) t=$(get total) e=$(get executed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
if ((passed == 0)); then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
