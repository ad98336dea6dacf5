namespace MLPipelines.Trainers;

/// <summary>
/// Ridge regression (<see cref="RidgeRegressionTrainer"/>): least squares with an L2 penalty
/// on the weights, not on the intercept. Plain data: comparable, printable, serializable.
/// Nothing in the fit is random, so <see cref="TrainerOptions.Seed"/> changes nothing.
/// </summary>
public sealed record RidgeRegressionOptions : TrainerOptions
{
    /// <summary>The default <see cref="L2"/>: scikit-learn's <c>Ridge(alpha=1.0)</c>.</summary>
    public const double DefaultL2 = 1.0;

    /// <summary>
    /// λ in Σ w·(y − b − xᵀβ)² + λ·‖β‖²: the penalty on the (weighted) sum of squared errors,
    /// as scikit-learn's <c>Ridge</c> states its <c>alpha</c>, so the same rows and λ give
    /// scikit-learn's weights. Default 1 (scikit-learn's default alpha): on standardized features
    /// each squared weight costs as much as one row's squared error, which keeps collinear
    /// one-hot slots solvable and barely moves a fit on thousands of rows. 0 is ordinary least
    /// squares (with jitter added where the features are collinear). Must be finite and not negative.
    /// </summary>
    public double L2 { get; init; } = DefaultL2;
}
