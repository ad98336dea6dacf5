using Microsoft.ML;
using MLPipelines.Tests;
using MLPipelines.Trainers;
using MLPipelines.XGBoost.Training;
using Xunit.Abstractions;

namespace MLPipelines.XGBoost.Tests;

/// <summary>The XGBoost random forest against scikit-learn's, and the settings it gives XGBoost per task.</summary>
public sealed class RandomForestTests(ITestOutputHelper output)
{
    private readonly MLContext _ml = new(seed: 0);

    /// <summary>
    /// scikit-learn's RandomForestClassifier(n_estimators=100, random_state=0) on the same folds, printed by
    /// <c>scripts/forest-vs-sklearn.sh --datasets sklearn_digits --trees 100 --threads 1</c> (scikit-learn 1.2.1).
    /// The same command measured ours at 0.9761 after the fix and at 0.9544 with the settings
    /// before it (max depth 12, min child weight 1, 0.6 of the columns per split: add
    /// <c>--max-depth 12 --min-child-weight 1 --column-sample 0.6</c>).
    /// </summary>
    private const double ScikitLearnDigitsAccuracy = 0.9761;

    [Fact]
    public void The_forest_classifies_digits_as_well_as_scikit_learns()
    {
        var (data, label, task) = TestData.Prepared(_ml, "sklearn_digits");
        var accuracies = new List<double>();
        foreach (var fold in _ml.Data.StratifiedCrossValidationSplit(data, label, 5, seed: 0))
        {
            var trainer = new RandomForestTrainer(task, new RandomForestOptions { LabelColumnName = label, Trees = 100, Threads = 1 }, 0);
            var scored = _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(fold.TrainSet).Transform(fold.TestSet);
            accuracies.Add(_ml.MulticlassClassification.Evaluate(scored, label).MicroAccuracy);
        }
        var accuracy = accuracies.Average();
        output.WriteLine($"accuracy {accuracy:F4} (scikit-learn {ScikitLearnDigitsAccuracy:F4})");
        // Within one point of scikit-learn's: the settings before the fix were two points below.
        Assert.True(accuracy >= ScikitLearnDigitsAccuracy - 0.01, $"accuracy {accuracy:F4}, scikit-learn's {ScikitLearnDigitsAccuracy:F4}");
    }

    [Theory]
    [InlineData("sklearn_iris", "0", "0", "0.625")]      // 4 columns: ⌊√4⌋ = 2 of them at each split
    [InlineData("spam", "0", "0", "0.13157894736842105")]  // 57 columns: 7 (scikit-learn's int(√57))
    [InlineData("concrete", "12", "1", "0.6")]            // regression keeps its limits: its hessian counts rows
    public void Unset_options_take_the_tasks_defaults(string dataset, string maxDepth, string minChildWeight, string columnSample)
    {
        var (data, label, task) = TestData.Prepared(_ml, dataset);
        var parameters = Fitted(data, task, new RandomForestOptions { LabelColumnName = label, Trees = 2 }).Info.Parameters;
        Assert.Equal(maxDepth, parameters["max_depth"]);
        Assert.Equal(minChildWeight, parameters["min_child_weight"]);
        Assert.Equal(columnSample, parameters["colsample_bynode"]);

        var set = Fitted(data, task, new RandomForestOptions { LabelColumnName = label, Trees = 2, MaxDepth = 5, MinChildWeight = 3, ColumnSampleByNode = 0.5 }).Info.Parameters;
        Assert.Equal(("5", "3", "0.5"), (set["max_depth"], set["min_child_weight"], set["colsample_bynode"]));
    }

    private XGBoostModelParameters Fitted(IDataView data, PredictionTask task, RandomForestOptions options)
    {
        var trainer = new RandomForestTrainer(task, options, 0);
        return _ml.Transforms.FeaturizeFor(trainer).Append(trainer).Fit(data).LastTransformer.Model;
    }
}
