#!/usr/bin/env python3
"""Summarizes the quality table's fold results (JSON Lines written by `mlpipelines compare --output`).

For each dataset and model: mean, standard deviation and the fold scores; then, per dataset, the
best deep model against XGBoost with a two-sided paired t-test over the folds.

    scripts/quality-summary.py [artifacts/quality/folds.jsonl]
"""
import collections
import json
import math
import statistics
import sys

LOWER_IS_BETTER = {"regression"}


def paired_t_test(a, b):
    """t statistic and two-sided p-value of the paired differences a - b.

    The p-value uses the closed form of Student's t distribution for 4 degrees of freedom
    (5 folds), so the script needs nothing beyond the standard library."""
    differences = [x - y for x, y in zip(a, b)]
    if len(differences) != 5:
        raise ValueError("the closed-form p-value is for 5 folds")
    t = statistics.mean(differences) / (statistics.stdev(differences) / math.sqrt(5))
    s = abs(t) / math.sqrt(4 + t * t)
    return t, 1 - 1.5 * s + 0.5 * s ** 3


def main(path):
    folds = collections.defaultdict(dict)
    tasks = {}
    deep_models = set()
    for line in open(path, encoding="utf-8"):
        record = json.loads(line)
        result = record["result"]
        if result["Failed"]:
            continue
        folds[(record["dataset"], result["Candidate"])][result["Fold"]] = result
        tasks[record["dataset"]] = record["task"]
        if result["Family"] == "Deep":
            deep_models.add(result["Candidate"])

    def scores(key):
        return [folds[key][f]["Metric"] for f in sorted(folds[key])]

    for (dataset, model), results in sorted(folds.items()):
        values = scores((dataset, model))
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        fit = statistics.mean(r["FitSeconds"] for r in results.values())
        print(f"{dataset:22} {model:15} {len(values)} folds  {statistics.mean(values):10.4f} ± {spread:8.4f}  "
              f"fit {fit:7.1f} s   [{' '.join(f'{v:.4f}' for v in values)}]")
        notes = [results[f].get("Note") for f in sorted(results)]
        if any(notes):   # deep models: "E epochs, best B (stopped by ...)" per fold
            seconds = " ".join(f"{results[f]['FitSeconds']:.0f}" for f in sorted(results))
            print(f"{'':38}fits [{seconds}] s; " + "; ".join(n or "-" for n in notes))
    print()
    for dataset in sorted(tasks):
        lower = tasks[dataset] in LOWER_IS_BETTER
        xgboost = (dataset, "XGBoost")
        deep = [k for k in folds if k[0] == dataset and k[1] in deep_models and len(folds[k]) == 5]
        if xgboost not in folds or len(folds[xgboost]) != 5 or not deep:
            continue
        best = (min if lower else max)(deep, key=lambda k: statistics.mean(scores(k)))
        a, b = scores(best), scores(xgboost)
        t, p = paired_t_test(a, b)
        wins = sum((x < y) if lower else (x > y) for x, y in zip(a, b))
        relative = (statistics.mean(a) - statistics.mean(b)) / abs(statistics.mean(b)) * 100
        print(f"{dataset}: best deep {best[1]} {statistics.mean(a):.4f} vs XGBoost {statistics.mean(b):.4f} "
              f"({relative:+.2f}%); deep better on {wins}/5 folds; paired t = {t:.2f}, p = {p:.2g}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "artifacts/quality/folds.jsonl")
