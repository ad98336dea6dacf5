using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Trainers;

/// <summary>Ridge regression in ML.NET's regression catalog: <c>ml.Regression.Trainers.Ridge()</c>.</summary>
public static class RidgeCatalog
{
    /// <summary>Ridge regression with the L2 penalty <paramref name="l2"/> on the sum of squared errors (<see cref="RidgeRegressionOptions.L2"/>).</summary>
    public static RidgeRegressionTrainer Ridge(this RegressionCatalog.RegressionTrainers catalog, string labelColumnName = "Label", string featureColumnName = "Features",
        string? exampleWeightColumnName = null, double l2 = RidgeRegressionOptions.DefaultL2) =>
        catalog.Ridge(new RidgeRegressionOptions { L2 = l2 }.WithColumns(labelColumnName, featureColumnName, exampleWeightColumnName));

    public static RidgeRegressionTrainer Ridge(this RegressionCatalog.RegressionTrainers catalog, RidgeRegressionOptions options) =>
        new(catalog.GetEnvironment(), options);
}
