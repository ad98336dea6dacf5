"""Reference values for MetricsTests.cs, computed by scikit-learn on fixed vectors.

Run with Debian's interpreter: /usr/bin/python3 tests/MLPipelines.Tests/References/metrics.py
(python3-sklearn 1.2.1). Prints the values pasted into the tests.
"""
import numpy as np
from sklearn import metrics

# Binary: scores with ties (0.35 twice across classes, 0.8 twice), one probability at 0 and one at 1.
y = np.array([0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0])
p = np.array([0.1, 0.9, 0.35, 0.35, 0.8, 0.2, 0.8, 0.55, 0.6, 0.0, 1.0, 0.45])
print("binary auc", repr(metrics.roc_auc_score(y, p)))
print("binary logloss", repr(metrics.log_loss(y, p)))
print("binary accuracy", repr(metrics.accuracy_score(y, p > 0.5)))
print("binary f1", repr(metrics.f1_score(y, p > 0.5)))

# Multiclass: 3 classes; class 2 is never predicted; one row has a zero probability for its class.
y3 = np.array([0, 1, 2, 2, 1, 0, 1, 2, 0, 1])
p3 = np.array([
    [0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.4, 0.3], [0.5, 0.2, 0.3], [0.2, 0.5, 0.3],
    [0.6, 0.3, 0.1], [0.45, 0.45, 0.1], [0.2, 0.5, 0.3], [1.0, 0.0, 0.0], [0.3, 0.7, 0.0],
])
predicted = p3.argmax(axis=1)
print("multiclass accuracy", repr(metrics.accuracy_score(y3, predicted)))
print("multiclass macro f1", repr(metrics.f1_score(y3, predicted, average="macro")))
print("multiclass logloss", repr(metrics.log_loss(y3, p3, labels=[0, 1, 2])))

# Regression.
t = np.array([3.0, -0.5, 2.0, 7.0, 4.2, 10.0])
f = np.array([2.5, 0.0, 2.0, 8.0, 3.9, 12.5])
print("regression rmse", repr(metrics.mean_squared_error(t, f, squared=False)))
print("regression mae", repr(metrics.mean_absolute_error(t, f)))
print("regression r2", repr(metrics.r2_score(t, f)))
