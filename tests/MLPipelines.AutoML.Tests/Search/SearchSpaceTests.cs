using MLPipelines.AutoML.Search;

namespace MLPipelines.AutoML.Tests.Search;

public sealed class SearchSpaceTests
{
    public static TheoryData<Parameter, string> Unsearchable => new()
    {
        { new FloatParameter("lr", 1, 1), "low bound 1 must be below" },
        { new FloatParameter("lr", 0, 1, Log: true), "must be positive" },
        { new FloatParameter("lr", 0, double.PositiveInfinity), "must be finite" },
        { new IntParameter("depth", 5, 4), "must not be above" },
        { new IntParameter("depth", 0, 4, Log: true), "at least 1" },
        { new ChoiceParameter("booster", []), "at least one choice" },
        { new ChoiceParameter("booster", ["a", "b", "a"]), "distinct" },
        { new FloatParameter(" ", 0, 1), "needs a name" },
    };

    [Theory]
    [MemberData(nameof(Unsearchable))]
    public void A_parameter_that_cannot_be_searched_is_refused_with_its_name(Parameter parameter, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => new SearchSpace([parameter]));

        Assert.Contains(problem, error.Message);
        if (!string.IsNullOrWhiteSpace(parameter.Name)) Assert.Contains($"'{parameter.Name}'", error.Message);
    }

    [Fact]
    public void Names_are_distinct()
    {
        var error = Assert.Throws<ArgumentException>(() => new SearchSpace([new IntParameter("depth", 1, 3), new FloatParameter("depth", 0, 1)]));

        Assert.Contains("'depth' appears twice", error.Message);
    }

    [Fact]
    public void Spaces_and_choices_are_compared_by_value_and_copied()
    {
        var choices = new List<string> { "a", "b" };
        var space = new SearchSpace([new ChoiceParameter("c", choices), new IntParameter("n", 1, 3, Log: true)]);
        choices.Add("z");

        Assert.Equal(new SearchSpace([new ChoiceParameter("c", ["a", "b"]), new IntParameter("n", 1, 3, Log: true)]), space);
        Assert.NotEqual(new SearchSpace([new ChoiceParameter("c", ["b", "a"]), new IntParameter("n", 1, 3, Log: true)]), space);
        Assert.Equal(["a", "b"], ((ChoiceParameter)space["c"]).Choices);
        Assert.Equal("SearchSpace { ChoiceParameter { Name = c, Choices = [a, b] }, IntParameter { Name = n, Low = 1, High = 3, Log = True } }", space.ToString());
        Assert.Contains("'c', 'n'", Assert.Throws<KeyNotFoundException>(() => space["m"]).Message);
    }
}
