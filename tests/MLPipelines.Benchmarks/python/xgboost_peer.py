"""The Python side of the XGBoost benchmark: the same data, parameters and library (Debian's
python3-xgboost on libxgboost 1.7.4) as the C# side.

usage: xgboost_peer.py META_JSON THREADS ROUNDS LATENCY_ROWS
Prints one JSON line: training seconds, single-row latency p50/p99 (µs), first 1000 test predictions.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb


def main():
    meta_path, threads, rounds, latency_rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with open(meta_path) as f:
        meta = json.load(f)
    columns = meta["Columns"]
    train_x = np.fromfile(meta["Directory"] + "/train-x.f32", dtype="<f4").reshape(-1, columns)
    train_y = np.fromfile(meta["Directory"] + "/train-y.f32", dtype="<f4")
    test_x = np.fromfile(meta["Directory"] + "/test-x.f32", dtype="<f4").reshape(-1, columns)
    params = dict(meta["Parameters"])
    params["nthread"] = str(threads)

    start = time.perf_counter()
    dtrain = xgb.DMatrix(train_x, label=train_y, feature_names=meta["FeatureNames"], feature_types=meta["FeatureTypes"],
                         enable_categorical=True, nthread=threads)
    booster = xgb.train(params, dtrain, num_boost_round=rounds)
    train_seconds = time.perf_counter() - start

    booster.set_param({"nthread": 1})
    for row in range(200):
        booster.inplace_predict(test_x[row:row + 1])
    latencies = []
    for row in range(latency_rows):
        features = test_x[row:row + 1]
        t = time.perf_counter()
        booster.inplace_predict(features)
        latencies.append((time.perf_counter() - t) * 1e6)
    latencies.sort()
    predictions = booster.predict(xgb.DMatrix(test_x, feature_names=meta["FeatureNames"], feature_types=meta["FeatureTypes"], enable_categorical=True))
    print(json.dumps({
        "TrainSeconds": train_seconds,
        "P50": latencies[latency_rows // 2],
        "P99": latencies[latency_rows * 99 // 100],
        "Predictions": [float(p) for p in predictions[:1000]],
    }))


if __name__ == "__main__":
    main()
