#!/usr/bin/env bash
# How hard the synthetic worlds are, in one run: the classic world, the default hard world, and the hard world
# published with canonical channel names and MCC codes (the same world in another vocabulary), each scored by our
# GBDT and by ML.NET LightGBM.
#   bench/synthetic-difficulty.sh [OUT=artifacts/synthetic-difficulty]   (WORLDS="classic hard hard-mcc", COUNT, CARDS, SPAN, SEED)
# Each world: COUNT transactions over SPAN days. Both engines train as of CUTOFF on the labels an issuer has by then
# (fraud reports, a few reviews; silence genuine after 30 days) and score the WINDOW days after it with score-file
# (the fraud reports as they arrive feed the merchant/device features). Evaluated against the ground truth (--labels
# truth: never-reported fraud counts as fraud) with bench/EntityFeatures/evaluate.py: ROC-AUC, PR-AUC, recall at 1%
# FPR over the window, and recall at that threshold per scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/synthetic-difficulty}
cutoff=${CUTOFF:-2026-04-01T00:00:00Z}
window=${WINDOW_DAYS:-28}
end=$(date -u -d "${cutoff} + ${window} days" +%Y-%m-%dT%H:%M:%SZ)
base=(synthetic --count "${COUNT:-200000}" --cards "${CARDS:-5000}" --merchants 600 --span-days "${SPAN:-120}" --seed "${SEED:-3}")
bin() { echo "src/$1/bin/Release/net10.0/Fraud.Streaming.$1.dll"; }
say() { printf '\n== %s\n' "$*" >&2; }
mkdir -p "$out"

rows=()
run_world() { # name, producer options...
  local name=$1; shift
  local dir="$out/$name"
  mkdir -p "$dir"
  say "world $name: ${base[*]} $*"
  dotnet "$(bin Producer)" "${base[@]}" "$@" --out-dir "$dir/reports" >/dev/null
  dotnet "$(bin Producer)" "${base[@]}" "$@" --labels truth --out-dir "$dir/truth" >/dev/null
  python3 - "$dir" "$end" <<'PY'
import sys
d, end = sys.argv[1:3]
with open(f"{d}/reports/transactions.jsonl") as src, open(f"{d}/window.jsonl", "w") as window:
    for line in src:
        if line[line.index('"event_time":"') + 14:].split('"', 1)[0] < end:
            window.write(line)
PY
  for algo in gbdt lightgbm; do
    dotnet "$(bin Trainer)" train --algo "$algo" --transactions "$dir/reports/transactions.jsonl" --labels "$dir/reports/labels.jsonl" \
      --as-of "$cutoff" --out "$dir/$algo" --no-register --no-announce | tail -n 1 >&2
    dotnet "$(bin Scorer)" score-file --model "$dir/$algo" --input "$dir/window.jsonl" --labels "$dir/reports/labels.jsonl" \
      --output "$dir/$algo-verdicts.jsonl" >&2
    rows+=("$(python3 bench/EntityFeatures/evaluate.py "$dir/$algo-verdicts.jsonl" "$dir/truth/labels.jsonl" "$dir/window.jsonl" "$cutoff" "$end" "$name, $algo")")
  done
}

for world in ${WORLDS:-classic hard hard-mcc}; do
  case $world in
    classic) run_world classic --world classic ;;
    hard) run_world hard ;;
    hard-mcc) run_world hard-mcc --vocabulary mcc ;;
    *) echo "unknown world '$world' (classic, hard, hard-mcc)" >&2; exit 2 ;;
  esac
done

say "evaluation over [$cutoff, $end)"
echo "| world, engine | window transactions (fraud) | ROC-AUC | PR-AUC | recall @1% FPR | compromised merchants started in the window | recall @1% FPR per scenario |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
printf '%s\n' "${rows[@]}"
