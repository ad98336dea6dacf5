#!/usr/bin/env bash
# Runs one benchmark side by side with its Python peer, after installing the peers.
#   scripts/benchmark.sh mlp     # MLP training: C# bindings vs PyTorch, same libtorch
#   scripts/benchmark.sh csv     # reading a 1,000,000 x 20 CSV: CsvReader vs pandas.read_csv
#   scripts/benchmark.sh xgboost # XGBoost training time and single-row latency: C# vs Python xgboost
#   scripts/benchmark.sh deep    # MLP (mlp: the default TD, mlp-tds: TD-S), ResNet, FT-Transformer, TabM and TabM-mini epoch time: C# models vs the same architectures in PyTorch ([--models a,b] [--rounds N] [--precision bf16] [--busy N: beside N spinning threads, as on a shared machine])
#   scripts/benchmark.sh same-epochs # variants of a model (TabM vs TabM-mini, MLP TD vs TD-S) for the same epochs: seconds and validation RMSE
#   scripts/benchmark.sh early-stopping # the MLP stopped at 2·best + 20 vs all 256 epochs, beside XGBoost, on the quality table's 5 folds of four datasets
#   scripts/benchmark.sh mlnet   # the ML.NET path vs the engines used directly: fit, batch prediction, PredictionEngine latency, conversion
#   scripts/benchmark.sh onnx    # exported ONNX files vs the native path, one thread: single-row p50/p99, rows/s in batches of 1,024, export time and size (XGBoost, MLP)
#   scripts/benchmark.sh deep-predict # each deep model's batch prediction, native (at each thread split) vs its ONNX file in ONNX Runtime, all cores ([--models a,b] [--rows N] [--rounds N])
#   scripts/benchmark.sh onnx-parity # every row of diamonds, credit_data, LetterRecognition, penguins scored by ApplyOnnxModel over each exported model kind vs the native pipeline ([--models a,b] [--datasets a,b])
#   scripts/benchmark.sh transfer # few labels: letters N–Z fine-tuned from A–M, diamonds with self-supervised pretraining; one network and 5 bags vs from scratch, XGBoost, LightGbm over seeds ([--parts letters,diamonds] [--seeds N])
#   scripts/benchmark.sh images  # ResNet-18 epoch time vs torchvision, contiguous and channels-last ([--layouts a,b]); Fashion-MNIST with 100 / 1,000 / 10,000 labels: fine-tuned and frozen ResNet, small CNN, XGBoost on pixels ([--parts epoch,fashion] [--resize N] [--sizes a,b] [--seeds N] [--models a,b])
#   scripts/benchmark.sh ridge   # the Linear regression candidate on diamonds, 5 folds: ridge by Cholesky vs ML.NET SDCA vs scikit-learn's Ridge
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --benchmarks
dotnet run --project tests/MLPipelines.Benchmarks -c Release --no-build -- "$@"
