#!/usr/bin/env bash
# The quality table: ML.NET's LightGbm, FastTree and FastForest, XGBoost's boosted trees and
# random forest, and every deep model, with their defaults, on the same 5 folds (seed 42) of
# diamonds (RMSE), credit_data (AUC), LetterRecognition (accuracy) and wa_churn (AUC). Each
# dataset's leaderboard is printed; every fold's result is appended to
# artifacts/quality/folds.jsonl and summarized at the end (mean, spread and fit time per model),
# with a paired t-test of the best deep model against XGBoost per dataset
# (scripts/quality-summary.py, needs python3). On 2 CPU cores this takes hours: FT-Transformer
# and TabM are GPU-sized models, so each deep fit is capped (keeping its best
# epoch so far; default 300 s). MODELS chooses the models (names as `mlpipelines compare --models` takes them),
# DATASETS the datasets (file names without .csv).
#
#   scripts/quality-table.sh [SECONDS_PER_DEEP_FIT]
#   MODELS=lightgbm,fasttree,fastforest,xgboost,xgboost-forest,mlp scripts/quality-table.sh
#   MODELS=xgboost,tabm DATASETS=credit_data,wa_churn scripts/quality-table.sh
set -euo pipefail
cd "$(dirname "$0")/.."
limit="${1:-300}"
scripts/setup.sh
mkdir -p artifacts/quality
cli=(dotnet run --project src/MLPipelines.Cli -c Release --no-build --)
models="${MODELS:-lightgbm,fasttree,fastforest,xgboost,xgboost-forest,mlp,resnet,ft-transformer,tabm}"
datasets=",${DATASETS:-diamonds,credit_data,LetterRecognition,wa_churn},"
while read -r file label task; do
  [[ "$datasets" == *",${file%.csv},"* ]] || continue
  "${cli[@]}" compare --data "datasets/$file" --label "$label" --task "$task" --folds 5 --seed 42 \
    --models "$models" --time-limit "$limit" --output artifacts/quality/folds.jsonl
  echo
done <<'EOF'
diamonds.csv price regression
credit_data.csv Status binary
LetterRecognition.csv lettr multiclass
wa_churn.csv churn binary
EOF
scripts/quality-summary.py artifacts/quality/folds.jsonl
