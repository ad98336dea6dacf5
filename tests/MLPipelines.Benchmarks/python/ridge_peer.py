"""The scikit-learn side of the ridge benchmark: Ridge() with its defaults (alpha=1.0; the
"auto" solver picks Cholesky for dense rows) on the same featurized diamonds folds as the C# side.

usage: ridge_peer.py META_JSON ROUNDS
Prints one JSON line: the fit seconds of every round and fold (after one untimed warm-up fit),
each fold's test RMSE, and fold 1's first 1000 test predictions. The float32 files are widened to
float64 before timing (the C# side accumulates in double; Ridge keeps float32 input in float32).
"""
import json
import sys
import time

import numpy as np
from sklearn.linear_model import Ridge


def main():
    meta_path, rounds = sys.argv[1], int(sys.argv[2])
    with open(meta_path) as f:
        meta = json.load(f)

    def read(fold, part, columns=None):
        values = np.fromfile(f"{meta['Directory']}/fold{fold}-{part}.f32", dtype="<f4").astype(np.float64)
        return values.reshape(-1, columns) if columns else values

    folds = [(read(k, "train-x", meta["Columns"]), read(k, "train-y"), read(k, "test-x", meta["Columns"]), read(k, "test-y"))
             for k in range(meta["Folds"])]
    Ridge().fit(folds[0][0], folds[0][1])

    seconds, rmse, predictions = [], [], []
    for round_ in range(rounds):
        for k, (train_x, train_y, test_x, test_y) in enumerate(folds):
            start = time.perf_counter()
            model = Ridge().fit(train_x, train_y)
            seconds.append(time.perf_counter() - start)
            if round_ == 0:
                predicted = model.predict(test_x)
                rmse.append(float(np.sqrt(np.mean((predicted - test_y) ** 2))))
                if k == 0:
                    predictions = [float(p) for p in predicted[:1000]]
    print(json.dumps({"FitSeconds": seconds, "Rmse": rmse, "Predictions": predictions}))


if __name__ == "__main__":
    main()
