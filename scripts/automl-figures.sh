#!/usr/bin/env bash
# The AutoML figures of the closing notes: runs the shipped experiment files (pipelines/*.yaml,
# 10-minute budgets) one after the other and prints, per dataset, the verdict with its p-value
# and interval, the champion's 5-fold score against the untuned XGBoost and the best untuned
# deep model of the same run (the portfolio's default trials: the same folds), and how the
# budget was spent. An hour on 2 cores. Arguments: the datasets to run (default: all six).
# The results stay in automl-<dataset>/ (store, result.json, champion); an existing store
# resumes, so delete the folders for a fresh run. BUDGET=10m gives every file that budget (the
# figures use 10 minutes; pipelines/diamonds.yaml, the main job's, has 5).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
datasets=("$@")
(( ${#datasets[@]} )) || datasets=(concrete credit_data wa_churn LetterRecognition Shuttle diamonds)
for dataset in "${datasets[@]}"; do
  echo "=== $dataset"
  dotnet run --project src/MLPipelines.Cli -c Release --no-build -- run "pipelines/$dataset.yaml" ${BUDGET:+--budget "$BUDGET"} > "automl-$dataset.log" 2>&1 \
    || echo "($dataset: exit status $?, see automl-$dataset.log)"
done
/usr/bin/python3 scripts/automl-summary.py "${datasets[@]}"
