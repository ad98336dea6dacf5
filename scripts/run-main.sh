#!/usr/bin/env bash
# Installs what is needed (scripts/setup.sh) and runs the main job on real data: every classical
# and deep estimator with its defaults on the same 5 folds of datasets/diamonds.csv (predicting
# price), with progress while it runs and a leaderboard at the end.
#
# Each deep model trains at most TIME_LIMIT seconds per fold (default 60, keeping its best epoch
# so far): on 2 CPU cores the whole job then takes about 25 minutes. FT-Transformer and TabM are
# GPU-sized; with 60 s on a CPU they are far from converged, so give them more time
# (TIME_LIMIT=900) for a fair verdict. Extra arguments go to `mlpipelines compare`
# (for example --models xgboost,mlp --output folds.jsonl).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet run --project src/MLPipelines.Cli -c Release --no-build -- compare \
  --data datasets/diamonds.csv --label price --task regression --time-limit "${TIME_LIMIT:-60}" "$@"
