#!/usr/bin/env bash
# Merchant-risk detection before and after online entity features, in one run, on one synthetic world.
#   bench/entity-features.sh [OUT=artifacts/entity-features]
# The world has weeks-long merchant compromises from its first day; both designs train as of CUTOFF and score
# the WINDOW days after it. "before" is the last build with the merchant table frozen into the model (commit
# BEFORE, built into OUT/before-src): it trains on every label of the transactions before the cutoff. "after" is
# this build: trained as of the cutoff (labels received by then, silence genuine after 30 days), scoring with the
# merchant/device totals of the fraud reports as they arrived. Both are evaluated the same way
# (bench/EntityFeatures/evaluate.py): overall ROC-AUC, PR-AUC and recall at 1% FPR over the window, and recall at
# that threshold on the compromised-merchant fraud of compromises that started after the cutoff.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/entity-features}
before=${BEFORE:-7771f35}
cutoff=${CUTOFF:-2026-04-15T00:00:00Z}
window=${WINDOW_DAYS:-28}
end=$(date -u -d "${cutoff} + ${window} days" +%Y-%m-%dT%H:%M:%SZ)
world=(synthetic --count 300000 --cards 6000 --merchants 800 --span-days 150 --seed 3
  --scenario-mix card_testing=0.3,account_takeover=0.2,stolen_card_abroad=0.2,merchant_compromise=0.15,bust_out=0.15,compromised_merchant=0.05)
bin() { echo "src/$1/bin/Release/net10.0/Fraud.Streaming.$1.dll"; }
say() { printf '\n== %s\n' "$*" >&2; }
mkdir -p "$out"

say "world: ${world[*]}"
dotnet "$(bin Producer)" "${world[@]}" --labels all --out-dir "$out/all" >/dev/null
dotnet "$(bin Producer)" "${world[@]}" --out-dir "$out/reports" >/dev/null
cmp -s "$out/all/transactions.jsonl" "$out/reports/transactions.jsonl" || { echo "the two label modes gave different transactions" >&2; exit 1; }
# Transactions up to the end of the window (what both scorers see), and the old design's training input.
python3 - "$out" "$cutoff" "$end" <<'PY'
import json, sys
out, cutoff, end = sys.argv[1:4]
tx_before = set()
with open(f"{out}/all/transactions.jsonl") as src, open(f"{out}/window.jsonl", "w") as window, open(f"{out}/before-tx.jsonl", "w") as train:
    for line in src:
        t = json.loads(line)["event_time"]
        if t < end:
            window.write(line)
        if t < cutoff:
            train.write(line)
            tx_before.add(json.loads(line)["transaction_id"])
with open(f"{out}/all/labels.jsonl") as src, open(f"{out}/before-labels.jsonl", "w") as train:
    for line in src:
        if json.loads(line)["transaction_id"] in tx_before:
            train.write(line)
PY

say "before: the frozen merchant table (commit $before)"
if [[ ! -d "$out/before-src" ]]; then
  git worktree add --detach "$out/before-src" "$before" >/dev/null
fi
dotnet build "$out/before-src/src/Trainer" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet build "$out/before-src/src/Scorer" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
old() { echo "$out/before-src/src/$1/bin/Release/net10.0/Fraud.Streaming.$1.dll"; }
dotnet "$(old Trainer)" train --transactions "$out/before-tx.jsonl" --labels "$out/before-labels.jsonl" --out "$out/before-model" \
  --no-register --no-announce | tail -n 1 >&2
dotnet "$(old Scorer)" score-file --model "$out/before-model" --input "$out/window.jsonl" --output "$out/before-verdicts.jsonl" >&2

say "after: online merchant and device features, labels as issuers send them"
dotnet "$(bin Trainer)" train --transactions "$out/reports/transactions.jsonl" --labels "$out/reports/labels.jsonl" --as-of "$cutoff" \
  --out "$out/after-model" --no-register --no-announce | tail -n 1 >&2
dotnet "$(bin Scorer)" score-file --model "$out/after-model" --input "$out/window.jsonl" --labels "$out/reports/labels.jsonl" \
  --output "$out/after-verdicts.jsonl" >&2

say "evaluation over [$cutoff, $end)"
echo "| design | window transactions (fraud) | ROC-AUC | PR-AUC | recall @1% FPR | compromised merchants started after the cutoff: recall (fraud) | other scenarios: recall |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
python3 bench/EntityFeatures/evaluate.py "$out/before-verdicts.jsonl" "$out/all/labels.jsonl" "$out/window.jsonl" "$cutoff" "$end" "frozen merchant table (before)"
python3 bench/EntityFeatures/evaluate.py "$out/after-verdicts.jsonl" "$out/all/labels.jsonl" "$out/window.jsonl" "$cutoff" "$end" "online entity features (after)"
