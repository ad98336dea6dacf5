"""Reference values for the scaler tests (ScalerTests.cs), from SciPy and scikit-learn.

Run with Debian's interpreter: /usr/bin/python3 tests/MLPipelines.Tests/References/scalers.py
(python3-sklearn 1.2.1, python3-scipy). Prints the values pasted into the tests.
"""
import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.preprocessing import QuantileTransformer

np.set_printoptions(precision=17)

print("norm.ppf")
for p in [1e-300, 1e-10, 1e-7, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999999, 1 - 1e-12]:
    print(f"    [{p!r}, {norm.ppf(p)!r}],")

concrete = pd.read_csv("datasets/concrete.csv")
for column in ["age", "cement"]:
    values = concrete[column].to_numpy(dtype=float)
    transformer = QuantileTransformer(n_quantiles=100, output_distribution="normal", subsample=10**9)
    transformer.fit(values.reshape(-1, 1))
    probe = np.array([0.5, 1, 3, 7, 14, 28, 56, 90, 180, 365, 400, 102, 250.5, 540]).reshape(-1, 1)
    print(f"QuantileTransformer(n_quantiles=100, normal) fitted on concrete.{column}")
    for x, y in zip(probe.ravel(), transformer.transform(probe).ravel()):
        print(f"    [{x!r}, {y!r}],")
