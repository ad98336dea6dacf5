#!/usr/bin/env bash
# Our XGBoost random forest beside scikit-learn's RandomForestClassifier(n_estimators=300) on the
# same 5 stratified folds (seed 0) of every shipped classification dataset without text columns:
# mean accuracy of each side and the difference, one line per dataset. Installs the Python peers
# (python3-sklearn, via scripts/setup.sh --benchmarks) and builds first.
#   scripts/forest-vs-sklearn.sh                                  # all of them (about 4 minutes on 2 idle cores)
#   scripts/forest-vs-sklearn.sh --datasets sklearn_digits,spam   # some; a regression dataset compares RMSE with RandomForestRegressor
#   scripts/forest-vs-sklearn.sh --max-depth 12 --min-child-weight 1   # our side with other settings
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --benchmarks
dotnet run --project tests/MLPipelines.Benchmarks -c Release --no-build -- forest "$@"
