namespace MLPipelines.AutoML.Search;

/// <summary>
/// The axis on which a numeric parameter is searched: its logarithm where it is Log, and for
/// an integer the interval widened by half a step each side, so that rounding gives the end
/// values the same share as the others (Optuna's choice as well).
/// </summary>
internal readonly record struct NumericScale(double Low, double High, bool Log, bool Integer, double ValueLow, double ValueHigh)
{
    public static NumericScale Of(Parameter parameter) => parameter switch
    {
        FloatParameter f => new(Scaled(f.Low, f.Log), Scaled(f.High, f.Log), f.Log, Integer: false, f.Low, f.High),
        IntParameter i => new(Scaled(i.Low - 0.5, i.Log), Scaled(i.High + 0.5, i.Log), i.Log, Integer: true, i.Low, i.High),
        _ => throw new ArgumentException($"Parameter '{parameter.Name}' is not numeric.", nameof(parameter)),
    };

    private static double Scaled(double value, bool log) => log ? Math.Log(value) : value;

    /// <summary>A value of the parameter (a whole number for an integer) on this axis.</summary>
    public double ToScale(double value) => Scaled(value, Log);

    /// <summary>
    /// The parameter's value at a point of the axis: rounded for an integer, and kept inside the
    /// bounds, which exp and rounding can cross by an ulp or a step.
    /// </summary>
    public double ValueAt(double scaled)
    {
        var value = Log ? Math.Exp(scaled) : scaled;
        if (Integer) value = Math.Round(value);
        return Math.Clamp(value, ValueLow, ValueHigh);
    }
}
