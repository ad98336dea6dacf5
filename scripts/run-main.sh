#!/usr/bin/env bash
# Installs what is needed (scripts/setup.sh) and runs the main job on real data:
# a two-layer network trained with the libtorch bindings on datasets/sklearn_breast_cancer.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet run --project src/MLPipelines.Cli -c Release --no-build -- demo --data datasets/sklearn_breast_cancer.csv --label diagnosis "$@"
