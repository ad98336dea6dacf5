#!/usr/bin/env bash
# Installs what is needed (scripts/setup.sh) and runs the main job on real data: an AutoML
# experiment on datasets/diamonds.csv (predicting price) with a 5-minute budget — the portfolio
# of classical and deep defaults on the same 5 folds, tuning while the budget lasts, and the
# verdict: is a deep model worth it here? BUDGET=30m gives the deep models time to converge.
# The trials are stored in automl-diamonds/trials.db: run the same command again to resume or,
# with a larger BUDGET, to continue. Extra arguments go to `mlpipelines automl`
# (for example --models linear,xgboost,mlp --finalists finalists).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet run --project src/MLPipelines.Cli -c Release --no-build -- automl \
  --data datasets/diamonds.csv --label price --task regression --budget "${BUDGET:-5m}" "$@"
