using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLPipelines.Data;

namespace MLPipelines.Trainers;

/// <summary>
/// Ridge regression solved directly: one pass accumulates, in double and with the example
/// weights, the features' and label's means and their scatter about the means
/// (<see cref="CenteredMoments"/>); λ is added to the diagonal and the normal equations
/// (XcᵀWXc + λI)·β = XcᵀWyc are solved by Cholesky; the intercept ȳ − x̄ᵀβ is not penalized.
/// The model is ML.NET's own <see cref="LinearRegressionModelParameters"/> in ML.NET's
/// <see cref="RegressionPredictionTransformer{TModel}"/>, so ML.NET saves, loads, evaluates and
/// explains (permutation feature importance) it as it does SDCA's. The cost is one read of
/// the rows plus n·d²/2 multiply-adds and d³/3 for the solve: for the tens or hundreds of
/// features of a tabular problem, well under a second where SDCA iterates over the data.
/// Created with <c>ml.Regression.Trainers.Ridge()</c>.
/// </summary>
public sealed class RidgeRegressionTrainer
    : ITrainerEstimator<RegressionPredictionTransformer<LinearRegressionModelParameters>, LinearRegressionModelParameters>
{
    /// <summary>
    /// The most features the direct solver takes: its d×d matrix of doubles is then 512 MiB.
    /// Wider (sparse text) features are SDCA's job.
    /// </summary>
    public const int MaxFeatures = 8192;

    private readonly IHost _host;

    internal RidgeRegressionTrainer(IHostEnvironment environment, RidgeRegressionOptions options)
    {
        if (!double.IsFinite(options.L2) || options.L2 < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.L2, "the L2 penalty of ridge regression must be finite and not negative");
        _host = environment.Register(Name);
        Options = options;
    }

    public string Name => "Ridge";

    public RidgeRegressionOptions Options { get; }

    /// <summary>No caching (the rows are read once); normalization wanted, since the penalty weighs every feature's weight alike.</summary>
    public TrainerInfo Info { get; } = new(normalization: true, calibration: false, caching: false);

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => PredictionColumns.Shape(inputSchema, PredictionTask.Regression, Options.Columns, Name);

    public RegressionPredictionTransformer<LinearRegressionModelParameters> Fit(IDataView input)
    {
        var features = TrainerSchema.RequireFeatures(input.Schema, Options.FeatureColumnName, Name);
        if (((VectorDataViewType)features.Type).Size is var size and > MaxFeatures)
            throw new DataValidationException($"{Name} solves for every weight at once, which takes a {size}×{size} matrix for the {size} slots of '{Options.FeatureColumnName}'; " +
                                              $"it takes at most {MaxFeatures}: use ml.Regression.Trainers.Sdca for wide, sparse features");
        // Categories keep their one-hot slots: the layout is then the feature vector, slot for slot.
        var data = TrainingData.Read(input, PredictionTask.Regression, Options.Columns, _ => CategoricalTreatment.OneHot, Name);
        var model = Train(data);
        return new RegressionPredictionTransformer<LinearRegressionModelParameters>(_host, model, input.Schema, Options.FeatureColumnName);
    }

    private LinearRegressionModelParameters Train(TrainingData data)
    {
        var matrix = data.Features;
        var width = matrix.Width;
        var moments = CenteredMoments.Of(matrix, data.Label.Values, data.Weights);
        if (!moments.FeatureMeans.All(double.IsFinite)) throw NonFinite(matrix);

        var system = moments.Scatter;
        for (var i = 0; i < width; i++) system[i * width + i] += Options.L2;
        double[] solution;
        try
        {
            solution = Cholesky.Solve(system, width, moments.LabelScatter, out var jitter);
            if (jitter > 0)
            {
                using var channel = _host.Start("Training");
                channel.Warning($"{Name}: the features' scatter matrix{(Options.L2 > 0 ? " plus the L2 penalty" : "")} is not positive definite " +
                                $"(constant or collinear features); solved with {jitter.ToString("G3", CultureInfo.InvariantCulture)} added to its diagonal. " +
                                "A positive L2 (the default is 1) avoids this.");
            }
        }
        catch (ArithmeticException e)
        {
            throw new DataValidationException($"{Name} could not solve for the weights of '{Options.FeatureColumnName}': {e.Message}");
        }

        var weights = new float[matrix.Layout.InputLength];
        var bias = moments.LabelMean;
        for (var c = 0; c < width; c++)
        {
            weights[matrix.Layout.Columns[c].FirstSlot] = (float)solution[c];
            bias -= moments.FeatureMeans[c] * solution[c];
        }
        if (!weights.All(float.IsFinite) || !double.IsFinite(bias))
            throw new DataValidationException($"{Name} found weights too large for Single on '{Options.FeatureColumnName}': scale the features (ml.Transforms.Featurize standardizes them)");
        return new LinearRegressionModelParameters(_host, new VBuffer<float>(weights.Length, weights), (float)bias);
    }

    /// <summary>The error for the first NaN or infinite feature value, which would make every weight NaN.</summary>
    private DataValidationException NonFinite(FeatureMatrix matrix)
    {
        var values = matrix.UsedValues;
        var at = 0;
        while (at < values.Length && float.IsFinite(values[at])) at++;
        var where = at == values.Length
            ? "too large to average in double"
            : $"{values[at].ToString(CultureInfo.InvariantCulture)} in slot '{matrix.FeatureNames[at % matrix.Width]}' on row {at / matrix.Width + 1} of the training data";
        return new DataValidationException($"'{Options.FeatureColumnName}' is {where}: {Name} needs every feature value finite; " +
                                           "impute missing values first (ml.Transforms.Featurize does by default, or ml.Transforms.ReplaceMissingValues)");
    }
}
