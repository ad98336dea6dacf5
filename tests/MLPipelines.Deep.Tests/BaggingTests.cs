using System.Text.RegularExpressions;
using Microsoft.ML;
using MLPipelines.Data;
using MLPipelines.Deep.Networks;
using MLPipelines.Deep.Options;
using MLPipelines.Deep.Training;
using MLPipelines.Deep.Transfer;
using MLPipelines.ModelFiles;
using MLPipelines.Tests;
using MLPipelines.Torch;
using MLPipelines.Trainers;

namespace MLPipelines.Deep.Tests;

/// <summary>Bagging over validation folds (<see cref="DeepModelOptions.BaggingFolds"/>).</summary>
public sealed class BaggingTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly MLContext _ml = new(seed: 4);
    private readonly string _directory = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// Three MLPs on concrete: each bag's best validation RMSE, recomputed from its restored network on the rows of
    /// its own fold, averages to the model's (a bag validated on other rows — its own training rows — would score
    /// otherwise); the model predicts the mean of the bags' outputs; the target's scale is all rows'.
    /// </summary>
    [Fact]
    public void Each_bag_is_validated_on_its_own_fold_and_the_model_predicts_the_mean_of_the_bags()
    {
        var (data, label, task) = TestData.Prepared(_ml, "concrete");
        var epochs = new List<EpochProgress>();
        var trainer = new DeepTrainer(task, new MlpOptions { LabelColumnName = label, MaxEpochs = 4, BaggingFolds = 3 }, 1)
            { Progress = new Synchronous<EpochProgress>(epochs.Add) };
        var featurized = _ml.Transforms.FeaturizeFor(trainer).Fit(data).Transform(data);
        var model = trainer.Fit(featurized).Model;
        var info = model.Info;

        Assert.Equal([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], epochs.Select(e => e.Bag));
        Assert.Equal([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], epochs.Select(e => e.Epoch));
        Assert.Equal("bag 2/3 epoch 4/4", epochs[7].Position);
        Assert.Equal([4, 4, 4], info.BagEpochs!);
        Assert.Equal(12, info.Epochs);
        Assert.Equal("3 bags: 3 ran all 4 epochs", info.StoppedBy);
        var bagged = Assert.IsType<BaggedNetwork>(model.Network);
        Assert.Equal(3, bagged.EnsembleSize);

        var rows = TrainingData.Read(featurized, task, trainer.Columns, _ => CategoricalTreatment.OneHot, "test");
        var labels = rows.Label.Values!;
        Assert.Equal(labels.Average(), info.TargetMean, 1e-9);
        Assert.Equal(labels.Min(), info.TargetMinimum);
        var scaled = rows.Features.Values.ToArray();
        for (var i = 0; i < scaled.Length; i++)
            if (model.InputScalers[i % rows.Features.Width] is { } scaler) scaled[i] = (float)scaler.Transform(scaled[i]);
        var (low, high) = ((info.TargetMinimum!.Value - info.TargetMean) / info.TargetStandardDeviation, (info.TargetMaximum!.Value - info.TargetMean) / info.TargetStandardDeviation);
        var folds = rows.Label.ValidationFolds(3, (ulong)trainer.Seed);
        var outputs = new double[3][];
        var foldRmse = new double[3];
        using (TorchRuntime.NewDisposeScope())
        using (TorchRuntime.NoGrad())
        {
            var x = Tensors.FromArray(scaled, rows.RowCount, rows.Features.Width);
            for (var bag = 0; bag < 3; bag++)
            {
                outputs[bag] = bagged.Bags[bag].Forward(new NetworkInput(x, null)).To(DType.Float64).ToArray<double>();
                var validation = folds[bag].Validation;
                foldRmse[bag] = Math.Sqrt(validation.Average(r =>
                    Math.Pow(Math.Clamp(outputs[bag][r], low, high) - (labels[r] - info.TargetMean) / info.TargetStandardDeviation, 2)));
            }
        }
        output.WriteLine($"bags' validation RMSE on their folds {string.Join(", ", foldRmse.Select(v => v.ToString("F4")))}; the model's {info.BestValidationValue:F4}");
        Assert.Equal(foldRmse.Average(), info.BestValidationValue!.Value, 1e-4);
        Assert.NotEqual(outputs[0][0], outputs[1][0]);

        var predicted = new float[rows.RowCount];
        model.Predict(rows.Features, predicted);
        for (var r = 0; r < rows.RowCount; r++)
        {
            var mean = outputs.Average(o => o[r]) * info.TargetStandardDeviation + info.TargetMean;
            Assert.Equal(Math.Clamp(mean, info.TargetMinimum.Value, info.TargetMaximum.Value), predicted[r], 1e-3);
        }
    }

    /// <summary>
    /// A time limit covers the whole fit: on a clock that ticks a second per reading (about 20 s an epoch of a bag here),
    /// two bags share 320 s, each fitting its schedule to its share, and the fit reads as stopped by its limit.
    /// </summary>
    [Fact]
    public void The_bags_share_the_time_limit_and_the_fit_counts_as_stopped_by_it()
    {
        var (data, label, task) = TestData.Prepared(_ml, "sklearn_breast_cancer");
        var trainer = new DeepTrainer(task, new MlpOptions { LabelColumnName = label, BatchSize = 16, BaggingFolds = 2, TimeLimit = TimeSpan.FromSeconds(320) }, 1)
            { Clock = new TickingClock(TimeSpan.FromSeconds(1)) };
        var featurized = _ml.Transforms.FeaturizeFor(trainer).Fit(data).Transform(data);
        var model = trainer.Fit(featurized).Model;
        var info = model.Info;
        output.WriteLine($"{info.StoppedBy}; bags' epochs {string.Join(", ", info.BagEpochs!)}, {info.TrainingTime.TotalSeconds} s");

        var stopped = Regex.Match(info.StoppedBy, @"^time limit \(320 s\) for 2 bags: 2 cut, schedules? fitted to (\d+)(?:–(\d+))? of 256 epochs$");
        Assert.True(stopped.Success, info.StoppedBy);
        Assert.Equal(info.BagEpochs!.Min(), int.Parse(stopped.Groups[1].Value));
        Assert.Equal(info.BagEpochs!.Max(), stopped.Groups[2].Success ? int.Parse(stopped.Groups[2].Value) : info.BagEpochs!.Min());
        // Each bag trained every step of the epochs its schedule was fitted to, on its half of the rows (18 steps of 16 rows),
        // ending within the limit: where one network on 80% of the rows fits 5–10 epochs into 320 s, these fit 6–9.
        var folds = trainer.Read(featurized).Label.ValidationFolds(2, (ulong)trainer.Seed);
        Assert.Equal(info.BagEpochs!.Zip(folds).Sum(b => b.First * (long)Math.Ceiling(b.Second.Train.Length / 16.0)), info.Steps);
        Assert.All(info.BagEpochs!, e => Assert.InRange(e, 6, 9));
        Assert.True(info.TrainingTime < TimeSpan.FromSeconds(320), $"{info.TrainingTime}");
        // Converging needs each bag's own stopping point: 2·best + 20 at least, summed.
        Assert.Equal(info.BagEpochs!.Zip(info.BagBestEpochs!).Sum(b => Math.Max(b.First, 2 * b.Second + 20)), ((IEpochTrainedModel)model).EpochsToConverge);
    }

    [Fact]
    public void Bagging_needs_at_least_one_fold_and_two_rows_a_fold()
    {
        var (data, label, task) = TestData.Prepared(_ml, "concrete");
        DeepTrainer Trainer(int folds) => new(task, new MlpOptions { LabelColumnName = label, MaxEpochs = 1, BaggingFolds = folds }, 1);
        var none = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.FeaturizeFor(Trainer(0)).Append(Trainer(0)).Fit(data));
        Assert.Contains("BaggingFolds must be 1 (one network) or more", none.Message);
        var few = _ml.Data.TakeRows(data, 12);
        var tooMany = Assert.Throws<DataValidationException>(() => _ml.Transforms.FeaturizeFor(Trainer(8)).Append(Trainer(8)).Fit(few));
        Assert.Equal("MLP needs at least 16 rows for 8 bagging folds (2 a fold); there are 12", tooMany.Message);
    }

    [Fact]
    public void A_bagged_model_is_refused_as_a_checkpoint_with_what_to_do()
    {
        var (data, label, task) = TestData.Prepared(_ml, "concrete");
        var trainer = new DeepTrainer(task, new MlpOptions { LabelColumnName = label, MaxEpochs = 1, BaggingFolds = 2 }, 1);
        var pipeline = _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(data);
        var path = Path.Combine(_directory, "bagged.zip");
        _ml.Model.Save(pipeline, data.Schema, path);
        var refused = Assert.Throws<ModelFileException>(() => PretrainedCheckpoint.Load(path));
        Assert.Contains("the MLP is bagged (2 networks, BaggingFolds = 2); a checkpoint holds one network: train the model to fine-tune from with BaggingFolds = 1", refused.Message);
    }
}
