"""Reference values for the ridge regression tests (RidgeRegressionTests.cs), from scikit-learn.

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 tests/MLPipelines.Tests/References/ridge.py
(python3-sklearn 1.2.1). Prints the values pasted into the tests. The features and label are
read as the C# side reads them (float32), then solved in double as the C# side solves them.
"""
import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge

np.set_printoptions(precision=17)

concrete = pd.read_csv("datasets/concrete.csv")
x = concrete.drop(columns="compressive_strength").to_numpy(dtype=np.float32).astype(np.float64)
y = concrete["compressive_strength"].to_numpy(dtype=np.float32).astype(np.float64)
weights = 1.0 + np.arange(len(y)) % 3   # 1, 2, 3, 1, 2, 3, ... by row

for alpha, sample_weight, name in [(1.0, None, "alpha=1"), (1e6, None, "alpha=1e6"), (1.0, weights, "alpha=1, weights 1 + row % 3")]:
    model = Ridge(alpha=alpha, solver="cholesky").fit(x, y, sample_weight=sample_weight)
    print(f"concrete, Ridge({name}): intercept {model.intercept_!r}")
    print("    [" + ", ".join(repr(float(c)) for c in model.coef_) + "]")
