using System.Globalization;
using MLPipelines.AutoML.Search;
using Xunit.Abstractions;

namespace MLPipelines.AutoML.Tests.Search;

/// <summary>
/// The reason the TPE exists: on functions with a known optimum, it gets closer than random
/// search in the same number of trials. Each search is run from 20 seeds and the medians are
/// compared, so that one lucky seed decides nothing; a TPE that proposed random points would
/// match random search's median and fail.
/// </summary>
public sealed class TpeVersusRandomTests(ITestOutputHelper output)
{
    private const int Seeds = 20;
    private const int Trials = 60;

    private static readonly SearchSpace BraninSpace = new([new FloatParameter("x1", -5, 10), new FloatParameter("x2", 0, 15)]);

    /// <summary>Branin–Hoo; its minimum 0.397887 is reached at three points.</summary>
    private static double Branin(Configuration c)
    {
        double x1 = c.Float("x1"), x2 = c.Float("x2");
        var b = 5.1 / (4 * Math.PI * Math.PI);
        var r = x2 - b * x1 * x1 + 5 / Math.PI * x1 - 6;
        return r * r + 10 * (1 - 1 / (8 * Math.PI)) * Math.Cos(x1) + 10;
    }

    private const double BraninMinimum = 0.397887357729738;

    private static readonly SearchSpace MixedSpace = new(
    [
        new FloatParameter("x", -5, 5),
        new FloatParameter("learning_rate", 1e-5, 1, Log: true),
        new FloatParameter("subsample", 0, 1),
        new IntParameter("max_depth", 1, 16),
        new IntParameter("leaves", 2, 1024, Log: true),
        new ChoiceParameter("booster", ["gbtree", "gblinear", "dart", "rf"]),
    ]);

    /// <summary>
    /// Six parameters of every kind, each adding up to about 1 at its worst and 0 at its best:
    /// x at 1.7, the learning rate at 10^-2.5, subsample at 0.3, depth 11, 64 leaves, "dart";
    /// the minimum is 0.
    /// </summary>
    private static double Mixed(Configuration c)
    {
        static double Square(double v) => v * v;
        var booster = c.Choice("booster") switch { "gbtree" => 0.6, "gblinear" => 1.0, "dart" => 0.0, _ => 0.4 };
        return Square((c.Float("x") - 1.7) / 6.7)
            + Square((Math.Log10(c.Float("learning_rate")) + 2.5) / 2.5)
            + Square((c.Float("subsample") - 0.3) / 0.7)
            + Square((c.Int("max_depth") - 11) / 10.0)
            + Square((Math.Log2(c.Int("leaves")) - 6) / 4)
            + booster;
    }

    [Fact]
    public void On_Branin_the_tpe_gets_closer_to_the_minimum_than_random_search() =>
        Compare("Branin", BraninSpace, Branin, BraninMinimum, reach: 1.0, margin: 0.5);

    [Fact]
    public void On_a_mixed_six_parameter_function_the_tpe_gets_closer_to_the_minimum_than_random_search() =>
        Compare("Mixed-6", MixedSpace, Mixed, minimum: 0, reach: 0.5, margin: 0.5);

    /// <summary>
    /// Asserts that the TPE's median gap to the minimum after <see cref="Trials"/> trials is at
    /// most <paramref name="margin"/> times random search's, and prints that and the median number
    /// of trials each needed to come within <paramref name="reach"/> of the minimum.
    /// </summary>
    private void Compare(string name, SearchSpace space, Func<Configuration, double> loss, double minimum, double reach, double margin)
    {
        var tpe = Measure(new TpeSampler(), space, loss, minimum, reach);
        var random = Measure(new RandomSampler(), space, loss, minimum, reach);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}, {Seeds} seeds, {Trials} trials: median gap to the minimum TPE {tpe.Gap:G3}, random {random.Gap:G3} (ratio {tpe.Gap / random.Gap:F2}); "
            + $"median trials to come within {reach}: TPE {tpe.TrialsToReach}, random {random.TrialsToReach} ({Trials + 1} = not within {Trials})"));
        Assert.True(tpe.Gap <= margin * random.Gap,
            $"TPE's median gap {tpe.Gap:G3} is not {margin} times random search's {random.Gap:G3} or less.");
    }

    private static (double Gap, double TrialsToReach) Measure(ISampler sampler, SearchSpace space, Func<Configuration, double> loss, double minimum, double reach)
    {
        var gaps = new List<double>();
        var trialsToReach = new List<double>();
        for (var seed = 0; seed < Seeds; seed++)
        {
            var history = SearchLoop.Run(sampler, space, loss, seed, Trials);
            gaps.Add(history.Min(o => o.Loss) - minimum);
            var reached = history.FindIndex(o => o.Loss - minimum <= reach);
            trialsToReach.Add(reached < 0 ? Trials + 1 : reached + 1);
        }
        return (Median(gaps), Median(trialsToReach));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
