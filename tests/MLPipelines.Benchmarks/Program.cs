using MLPipelines.Benchmarks.CsvReading;
using MLPipelines.Benchmarks.DeepPrediction;
using MLPipelines.Benchmarks.DeepTraining;
using MLPipelines.Benchmarks.ForestComparison;
using MLPipelines.Benchmarks.Images;
using MLPipelines.Benchmarks.MLNetOverhead;
using MLPipelines.Benchmarks.MlpTraining;
using MLPipelines.Benchmarks.OnnxScoring;
using MLPipelines.Benchmarks.RidgeComparison;
using MLPipelines.Benchmarks.Transfer;
using MLPipelines.Benchmarks.XGBoostComparison;

namespace MLPipelines.Benchmarks;

/// <summary>
/// Benchmarks that print figures and ratios against a peer run in the same command.
/// Run them through scripts/benchmark.sh, which installs the peers first.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var name = args.Length > 0 ? args[0] : "";
        switch (name)
        {
            case "mlp":
                return MlpTrainingBenchmark.Run(args[1..]);
            case MlpTrainingBenchmark.WorkerCommand:
                return MlpTrainingWorker.Run(args[1..]);
            case "deep-predict":
                return DeepPredictionBenchmark.Run(args[1..]);
            case "csv":
                return CsvReadingBenchmark.Run(args[1..]);
            case CsvReadingBenchmark.WorkerCommand:
                return CsvReadingBenchmark.Worker(args[1..]);
            case "deep":
                return DeepEpochBenchmark.Run(args[1..]);
            case "early-stopping":
                return EarlyStoppingBenchmark.Run(args[1..]);
            case "same-epochs":
                return SameEpochsBenchmark.Run(args[1..]);
            case DeepEpochBenchmark.WorkerCommand:
                return DeepEpochBenchmark.Worker(args[1..]);
            case "xgboost":
                return XGBoostBenchmark.Run(args[1..]);
            case XGBoostBenchmark.WorkerCommand:
                return XGBoostBenchmark.Worker(args[1..]);
            case "forest":
                return ForestBenchmark.Run(args[1..]);
            case "mlnet":
                return MLNetOverheadBenchmark.Run(args[1..]);
            case "onnx":
                return OnnxScoringBenchmark.Run(args[1..]);
            case "onnx-parity":
                return OnnxParityCheck.Run(args[1..]);
            case "ridge":
                return RidgeBenchmark.Run(args[1..]);
            case "transfer":
                return TransferBenchmark.Run(args[1..]);
            case "images":
                return ImageBenchmark.Run(args[1..]);
            default:
                Console.Error.WriteLine("usage: mlpipelines-benchmarks mlp [--epochs N] [--rounds N] | csv | xgboost | deep [--models mlp,mlp-tds,resnet,ft-transformer,tabm,tabm-mini] [--rounds N] [--busy N] | same-epochs [--epochs N] [--variants tabm,tabm-mini,mlp,mlp-tds] | early-stopping [--datasets a,b] [--folds N] [--time-limit S] | mlnet | onnx | deep-predict [--models mlp,resnet,ft-transformer,tabm,tabm-mini] [--rows N] [--rounds N] | onnx-parity [--models a,b] [--datasets a,b] | ridge [--rounds N] | transfer [--parts letters,diamonds] [--seeds N] [--letters-sizes a,b] [--diamonds-sizes a,b] | forest [--datasets a,b] [--trees N] | images [--parts epoch,fashion] [--resize N] [--rounds N] [--sizes a,b] [--seeds N | --seed S] [--models fine-tuned,frozen,small-cnn,xgboost]");
                return 2;
        }
    }
}
