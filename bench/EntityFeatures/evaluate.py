#!/usr/bin/env python3
"""Scores a verdicts file against a synthetic world's ground truth over a window (standard library only).

usage: evaluate.py VERDICTS TRUTH_LABELS TRANSACTIONS FROM TO [NAME]

TRUTH_LABELS is a labels file written with --labels all (every transaction, fraud ones naming their scenario).
Prints one Markdown table row: ROC-AUC, PR-AUC and recall at 1% FPR over the transactions of [FROM, TO), then
recall at that threshold on compromised-merchant fraud whose compromise started at or after FROM (a merchant's
compromise starts at its first compromised_merchant fraud), and on each other scenario.
"""
import json
import sys


def auc(pairs):
    """ROC-AUC of (score, is_fraud) pairs, ties counted half."""
    pairs.sort(key=lambda p: p[0])
    pos = sum(1 for _, y in pairs if y)
    neg = len(pairs) - pos
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        rank = (i + j + 1) / 2
        rank_sum += rank * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def average_precision(pairs):
    pairs = sorted(pairs, key=lambda p: -p[0])
    pos = sum(1 for _, y in pairs if y)
    hits, total = 0, 0.0
    for k, (_, y) in enumerate(pairs, 1):
        if y:
            hits += 1
            total += hits / k
    return total / pos


def main():
    verdicts_path, truth_path, tx_path, start, end = sys.argv[1:6]
    name = sys.argv[6] if len(sys.argv) > 6 else verdicts_path
    scenario = {}
    for line in open(truth_path, encoding="utf-8"):
        label = json.loads(line)
        scenario[label["transaction_id"]] = label.get("scenario") if label["is_fraud"] else None
    merchant, first = {}, {}
    for line in open(tx_path, encoding="utf-8"):
        t = json.loads(line)
        merchant[t["transaction_id"]] = t["merchant_id"]
        if scenario.get(t["transaction_id"]) == "compromised_merchant":
            m = t["merchant_id"]
            first[m] = min(first.get(m, "9999"), t["event_time"])
    scored = {}
    for line in open(verdicts_path, encoding="utf-8"):
        v = json.loads(line)
        if start <= v["event_time"] < end:
            scored[v["transaction_id"]] = v["score"]
    pairs = [(s, scenario.get(t) is not None) for t, s in scored.items()]
    genuine = sorted((s for t, s in scored.items() if scenario.get(t) is None), reverse=True)
    threshold = genuine[int(0.01 * len(genuine))]
    caught = lambda ids: (sum(1 for t in ids if scored[t] > threshold), len(ids))
    new_compromises = [t for t in scored if scenario.get(t) == "compromised_merchant" and first[merchant[t]] >= start]
    frauds = [t for t in scored if scenario.get(t) is not None]
    c, n = caught(new_compromises)
    a, f = caught(frauds)
    others = sorted({scenario[t] for t in frauds} - {"compromised_merchant"})
    per = ", ".join(f"{s} {caught([t for t in frauds if scenario[t] == s])[0] / max(1, caught([t for t in frauds if scenario[t] == s])[1]):.3f}" for s in others)
    print(f"| {name} | {len(scored):,} ({f:,}) | {auc(pairs):.4f} | {average_precision(pairs):.4f} | {a / f:.3f} | {c / max(1, n):.3f} ({n}) | {per} |")
    print(f"scenarios: {', '.join(others)}", file=sys.stderr)


if __name__ == "__main__":
    main()
