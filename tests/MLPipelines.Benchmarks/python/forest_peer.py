"""The Python side of the forest benchmark: scikit-learn's random forest with its defaults on the
folds the C# side wrote, so both sides train and test on the same rows.

usage: forest_peer.py CSV LABEL TASK FOLDS THREADS TREES
  TASK   regression, binary or multiclass
  FOLDS  a file with one fold index per CSV data row, in file order
Prints one JSON line: {"Scores": [per-fold accuracy, or RMSE for regression], "Seconds": fit + predict time}.

Features as scikit-learn needs them (its forests of Debian 12's 1.2 take neither text nor NaN):
numbers with NaN imputed by the training fold's median, text columns one-hot with a "missing"
category, fitted on the training fold only. The forest itself is RandomForestClassifier or
RandomForestRegressor(n_estimators=TREES, random_state=0) with every other setting its default
(bootstrap samples, max_features "sqrt" for classification and all features for regression,
unlimited depth, min_samples_leaf 1).
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, mean_squared_error
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder


def main():
    path, label, task, folds_path, threads, trees = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
    data = pd.read_csv(path)
    folds = np.loadtxt(folds_path, dtype=int)
    if len(folds) != len(data):
        raise SystemExit(f"{folds_path} has {len(folds)} fold indices for {len(data)} rows of {path}")
    y = data[label]
    x = data.drop(columns=[label])
    if task != "regression":
        y = y.astype(str)
    text = [c for c in x.columns if x[c].dtype == object]
    numbers = [c for c in x.columns if c not in text]
    features = ColumnTransformer([
        ("numbers", SimpleImputer(strategy="median"), numbers),
        ("text", make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"), OneHotEncoder(handle_unknown="ignore")), text),
    ])
    forest = (RandomForestRegressor if task == "regression" else RandomForestClassifier)(n_estimators=trees, n_jobs=threads, random_state=0)

    scores = []
    start = time.perf_counter()
    for fold in range(folds.max() + 1):
        train, test = folds != fold, folds == fold
        model = Pipeline([("features", features), ("forest", forest)]).fit(x[train], y[train])
        predicted = model.predict(x[test])
        scores.append(float(np.sqrt(mean_squared_error(y[test], predicted))) if task == "regression" else float(accuracy_score(y[test], predicted)))
    print(json.dumps({"Scores": scores, "Seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main()
