using Microsoft.ML;
using MLPipelines.AutoML.Ensembles;
using MLPipelines.AutoML.Experiments;
using MLPipelines.Data;
using MLPipelines.Tests;

namespace MLPipelines.AutoML.Tests.Ensembles;

/// <summary>The metric of stored predictions equals what ML.NET's evaluator gave the same fold: ensemble selection optimizes the verdict's own metric.</summary>
public sealed class PredictionMetricTests
{
    [Theory]
    [InlineData("concrete", "linear")]
    [InlineData("concrete", "xgboost")]
    [InlineData("sklearn_breast_cancer", "linear")]
    [InlineData("sklearn_breast_cancer", "xgboost")]
    [InlineData("penguins", "linear")]
    [InlineData("penguins", "xgboost")]
    public void Equals_the_evaluator_on_a_fold(string dataset, string candidateName)
    {
        var ml = new MLContext(seed: 1);
        var (data, label, task) = TestData.Prepared(ml, dataset);
        var folds = DataCatalogExtensions.StratifiedFolds(data, label, 3, seed: 5);
        var candidate = Candidate.Named([candidateName]).Single();
        var settings = new CandidateSettings(ml, task, label, 5, 1, null, null, CancellationToken.None);

        var outcome = FoldEvaluation.Run(ml, data, task, label, candidate.CreatePipeline(settings), folds[1]);
        var labels = FoldLabels.Read(data, label, task, folds)[1];

        Assert.Equal(outcome.Metric, PredictionMetric.Compute(task, outcome.Predictions, labels), 5);
    }
}
