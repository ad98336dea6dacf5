"""Summarises AutoML runs (automl-<dataset>/result.json and trials.db): the verdict, the champion
against the untuned XGBoost and the best untuned deep model of the same run, and the budget."""
import json
import sqlite3
import statistics
import sys


def defaults(store, folds):
    """Mean score of each candidate's default trial (configuration NULL) that completed every fold of the search
    (folds past k are the verdict's repetitions of k-fold, which only its contenders get)."""
    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    rows = connection.execute(
        "SELECT t.candidate, t.family, group_concat(f.metric) FROM trials t JOIN folds f ON f.trial = t.number "
        f"WHERE t.configuration IS NULL AND t.status = 'Completed' AND f.fold <= {int(folds)} GROUP BY t.number").fetchall()
    counts = connection.execute("SELECT status, count(*) FROM trials GROUP BY status").fetchall()
    connection.close()
    means = {}
    for candidate, family, metrics in rows:
        values = [float(v) for v in metrics.split(",")]
        if len(values) == folds:
            means[candidate] = (family, statistics.mean(values))
    return means, dict(counts)


def main(datasets):
    for dataset in datasets:
        folder = f"automl-{dataset}"
        try:
            result = json.load(open(f"{folder}/result.json"))
        except FileNotFoundError:
            print(f"{dataset}: no result.json (see automl-{dataset}.log)\n")
            continue
        higher = result["higher_is_better"]
        means, statuses = defaults(f"{folder}/trials.db", result["folds"])
        best = max if higher else min
        deep = {c: m for c, (f, m) in means.items() if f == "Deep"}
        best_deep = best(deep.items(), key=lambda kv: kv[1]) if deep else None
        metric = result["metric"]
        print(f"{dataset}: {result['summary']}")
        for side in ("deep", "ensemble"):
            if result.get(side):
                d = result[side]
                print(f"  {side} − classical {d['improvement']:.4g} (95% CI {d['ci_low']:.4g} to {d['ci_high']:.4g}), p = {d['p']:.3g}, "
                      f"margin {result['margin']:.4g}, {result.get('verdict_folds')} folds")
        if result.get("deep_finalist") and not result["deep_finalist"]["converged"]:
            f = result["deep_finalist"]
            print(f"  best deep trial {f['name']} not converged: {metric} {f['mean']:.4g}; a converged fit would need about {f['needed_seconds']:.0f} s on these folds")
        champion = result["champion_score"]
        line = f"  champion {result['champion']}: {metric} {champion:.4g}" if champion is not None else "  no champion"
        if "XGBoost" in means:
            line += f" | untuned XGBoost {means['XGBoost'][1]:.4g}"
        if best_deep:
            line += f" | best untuned deep {best_deep[0]} {best_deep[1]:.4g}"
        untuned = [m for _, m in means.values()]
        if untuned and champion is not None:
            top = best(untuned)
            tolerance = 1e-9 * abs(top)   # the same trial's mean, summed in another order
            ok = champion >= top - tolerance if higher else champion <= top + tolerance
            line += f" | best untuned {top:.4g} → champion {'at least as good' if ok else 'WORSE'}"
        print(line)
        spent = ", ".join(f"{b['candidate']} {b['seconds']:.0f} s ×{b['trials']}" for b in result["budget_by_candidate"])
        print(f"  budget {result['budget_seconds']:.0f} s, spent {result['spent_seconds']:.0f} s ({result['spent_seconds'] / result['budget_seconds'] - 1:+.1%}); "
              f"{result['trials']} trials {statuses}; refits {result['refit_seconds']:.0f} s")
        print(f"  {spent}\n")


if __name__ == "__main__":
    main(sys.argv[1:] or ["concrete", "credit_data", "wa_churn", "LetterRecognition", "Shuttle", "diamonds"])
