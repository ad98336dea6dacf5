using MLPipelines.Onnx;

namespace MLPipelines.Transforms;

/// <summary>A part of a date that the featurizer adds beside the day count (AutoGluon's DatetimeFeatureGenerator's defaults).</summary>
public enum CalendarPart
{
    Year,
    Month,
    Day,

    /// <summary>Monday 0 … Sunday 6, as pandas' dayofweek.</summary>
    Weekday,
}

/// <summary>
/// The calendar parts of a day count (days since 1970-01-01; a fraction is the time of day), by
/// Howard Hinnant's civil_from_days in floating point with floors: every quotient is of integers
/// far below 2⁵³, so each floor is exact, and the ONNX nodes (<see cref="WriteOnnx"/>) doing the
/// same operations in the same order give the same values. A value that is not finite has no parts (NaN).
/// </summary>
public static class Calendar
{
    /// <summary>Days from 0000-03-01, the start of the civil_from_days era, to 1970-01-01.</summary>
    private const double EpochShift = 719_468;

    private const double DaysPer400Years = 146_097;

    public static double Part(double days, CalendarPart part) => double.IsFinite(days) ? Compute<double, Doubles>(new Doubles(), days, part) : double.NaN;

    /// <summary>The part of every day count of <paramref name="days"/> (float64, any shape; NaN and ±∞ give NaN or ±∞, which the featurizer reads as missing).</summary>
    public static string WriteOnnx(OnnxGraph graph, string days, CalendarPart part) => Compute<string, Nodes>(new Nodes(graph), days, part);

    /// <summary>The one formula, over plain doubles or over ONNX nodes.</summary>
    private static T Compute<T, TArithmetic>(TArithmetic a, T days, CalendarPart part) where TArithmetic : IArithmetic<T>
    {
        T C(double value) => a.Constant(value);
        T FloorDiv(T x, double y) => a.Floor(a.Div(x, C(y)));

        var day = a.Floor(days);
        if (part == CalendarPart.Weekday)
        {
            // 1970-01-01 was a Thursday (3); the floor keeps days before it in 0 … 6.
            var shifted = a.Add(day, C(3));
            return a.Sub(shifted, a.Mul(FloorDiv(shifted, 7), C(7)));
        }
        var z = a.Add(day, C(EpochShift));
        var era = FloorDiv(z, DaysPer400Years);
        var dayOfEra = a.Sub(z, a.Mul(era, C(DaysPer400Years)));                                  // 0 … 146096
        var yearOfEra = FloorDiv(a.Sub(a.Add(a.Sub(dayOfEra, FloorDiv(dayOfEra, 1460)), FloorDiv(dayOfEra, 36_524)), FloorDiv(dayOfEra, 146_096)), 365);   // 0 … 399
        var dayOfYear = a.Sub(dayOfEra, a.Sub(a.Add(a.Mul(yearOfEra, C(365)), FloorDiv(yearOfEra, 4)), FloorDiv(yearOfEra, 100)));   // from March 1st
        var monthFromMarch = FloorDiv(a.Add(a.Mul(dayOfYear, C(5)), C(2)), 153);                   // 0 … 11
        if (part == CalendarPart.Day) return a.Add(a.Sub(dayOfYear, FloorDiv(a.Add(a.Mul(monthFromMarch, C(153)), C(2)), 5)), C(1));
        var month = a.Sub(a.Add(monthFromMarch, C(3)), a.Mul(FloorDiv(monthFromMarch, 10), C(12)));   // March 3 … February 2
        if (part == CalendarPart.Month) return month;
        // The era's years start in March: January and February belong to the next calendar year.
        return a.Add(a.Add(yearOfEra, a.Mul(era, C(400))), FloorDiv(a.Sub(C(14), month), 12));
    }

    private interface IArithmetic<T>
    {
        T Constant(double value);
        T Add(T a, T b);
        T Sub(T a, T b);
        T Mul(T a, T b);
        T Div(T a, T b);
        T Floor(T a);
    }

    private readonly struct Doubles : IArithmetic<double>
    {
        public double Constant(double value) => value;
        public double Add(double a, double b) => a + b;
        public double Sub(double a, double b) => a - b;
        public double Mul(double a, double b) => a * b;
        public double Div(double a, double b) => a / b;
        public double Floor(double a) => Math.Floor(a);
    }

    private readonly struct Nodes(OnnxGraph graph) : IArithmetic<string>
    {
        public string Constant(double value) => graph.Scalar(value);
        public string Add(string a, string b) => graph.Add(a, b);
        public string Sub(string a, string b) => graph.Sub(a, b);
        public string Mul(string a, string b) => graph.Mul(a, b);
        public string Div(string a, string b) => graph.Div(a, b);
        public string Floor(string a) => graph.Node("Floor", [a]);
    }
}
