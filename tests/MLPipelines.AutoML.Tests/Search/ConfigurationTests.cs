using MLPipelines.AutoML.Search;

namespace MLPipelines.AutoML.Tests.Search;

public sealed class ConfigurationTests
{
    private static readonly SearchSpace Space = new(
    [
        new FloatParameter("learning_rate", 1e-4, 1, Log: true),
        new IntParameter("max_depth", 1, 10),
        new ChoiceParameter("booster", ["gbtree", "dart", "say \"hi\" é"]),
        new FloatParameter("subsample", 0.5, 1),
    ]);

    private static Configuration Make(double learningRate = 0.031, int maxDepth = 6, string booster = "gbtree", double subsample = 0.8) => new(
        new Dictionary<string, object> { ["max_depth"] = maxDepth, ["learning_rate"] = learningRate, ["booster"] = booster, ["subsample"] = subsample });

    [Fact]
    public void Json_is_stable_sorted_and_gives_back_the_same_doubles()
    {
        var awkward = Make(learningRate: 1.0 / 3, subsample: 0.1 + 0.7, booster: "say \"hi\" é");
        var json = awkward.ToJson();

        Assert.Equal("{\"booster\":\"say \\\"hi\\\" é\",\"learning_rate\":0.3333333333333333,\"max_depth\":6,\"subsample\":0.7999999999999999}", json);
        var read = Configuration.FromJson(json, Space);
        Assert.Equal(awkward, read);
        Assert.Equal(1.0 / 3, read.Float("learning_rate"));
        Assert.Equal(0.1 + 0.7, read.Float("subsample"));
        Assert.Equal(json, read.ToJson());
    }

    [Fact]
    public void Every_random_configuration_survives_the_round_trip_bit_for_bit()
    {
        var random = new Random(7);
        var sampler = new RandomSampler();
        for (var i = 0; i < 200; i++)
        {
            var configuration = sampler.Propose(Space, [], random);
            var read = Configuration.FromJson(configuration.ToJson(), Space);
            Assert.Equal(configuration, read);
            Assert.Equal(BitConverter.DoubleToInt64Bits(configuration.Float("learning_rate")), BitConverter.DoubleToInt64Bits(read.Float("learning_rate")));
        }
    }

    [Fact]
    public void Json_does_not_depend_on_the_order_the_values_were_given_in()
    {
        var other = new Configuration(new Dictionary<string, object> { ["subsample"] = 0.8, ["booster"] = "gbtree", ["learning_rate"] = 0.031, ["max_depth"] = 6 });

        Assert.Equal(Make().ToJson(), other.ToJson());
        Assert.Equal(Make(), other);
        Assert.Equal(Make().GetHashCode(), other.GetHashCode());
    }

    [Theory]
    [InlineData("{\"learning_rate\":0.1,\"booster\":\"dart\",\"subsample\":0.9}", "max_depth", "missing")]
    [InlineData("{\"learning_rate\":0.1,\"max_depth\":11,\"booster\":\"dart\",\"subsample\":0.9}", "max_depth", "outside its range [1, 10]")]
    [InlineData("{\"learning_rate\":2,\"max_depth\":3,\"booster\":\"dart\",\"subsample\":0.9}", "learning_rate", "outside its range")]
    [InlineData("{\"learning_rate\":0.1,\"max_depth\":3,\"booster\":\"gblinear\",\"subsample\":0.9}", "booster", "not one of its choices")]
    [InlineData("{\"learning_rate\":0.1,\"max_depth\":\"3\",\"booster\":\"dart\",\"subsample\":0.9}", "max_depth", "must be a whole number")]
    [InlineData("{\"learning_rate\":0.1,\"max_depth\":3.5,\"booster\":\"dart\",\"subsample\":0.9}", "max_depth", "must be a whole number")]
    [InlineData("{\"learning_rate\":\"fast\",\"max_depth\":3,\"booster\":\"dart\",\"subsample\":0.9}", "learning_rate", "must be a number")]
    [InlineData("{\"learning_rate\":0.1,\"max_depth\":3,\"booster\":1,\"subsample\":0.9}", "booster", "must be a string")]
    [InlineData("{\"learning_rate\":0.1,\"max_depth\":3,\"booster\":\"dart\",\"subsample\":null}", "subsample", "must be a number")]
    [InlineData("{\"learning_rate\":0.1,\"max_depth\":3,\"booster\":\"dart\",\"subsample\":0.9,\"gamma\":1}", "gamma", "not in the search space")]
    [InlineData("{\"learning_rate\":0.1,\"max_depth\":3,\"max_depth\":4,\"booster\":\"dart\",\"subsample\":0.9}", "max_depth", "given twice")]
    public void Reading_json_that_does_not_fit_the_space_names_the_parameter(string json, string parameter, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => Configuration.FromJson(json, Space));

        Assert.Equal(parameter, error.ParameterName);
        Assert.Contains($"'{parameter}'", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public void Text_that_is_not_a_json_object_is_an_error_about_the_whole_text(string json)
    {
        var error = Assert.Throws<ConfigurationException>(() => Configuration.FromJson(json, Space));

        Assert.Null(error.ParameterName);
        Assert.Contains("JSON object", error.Message);
    }

    [Fact]
    public void A_float_that_json_cannot_hold_is_named()
    {
        var error = Assert.Throws<ConfigurationException>(() => Make(subsample: double.NaN).ToJson());

        Assert.Equal("subsample", error.ParameterName);
    }

    [Fact]
    public void Printing_is_short_and_sorted()
    {
        Assert.Equal("booster=gbtree, learning_rate=0.031, max_depth=6, subsample=0.8", Make().ToString());
        Assert.Equal("learning_rate=0.03123, max_depth=6", new Configuration(new Dictionary<string, object> { ["max_depth"] = 6, ["learning_rate"] = 0.0312345 }).ToString());
    }

    [Fact]
    public void Typed_getters_name_the_parameter_when_it_is_missing_or_of_another_type()
    {
        var configuration = Make();

        Assert.Equal(0.031, configuration.Float("learning_rate"));
        Assert.Equal(6, configuration.Int("max_depth"));
        Assert.Equal("gbtree", configuration.Choice("booster"));
        Assert.Contains("'gamma'", Assert.Throws<KeyNotFoundException>(() => configuration.Float("gamma")).Message);
        Assert.Contains("'max_depth'", Assert.Throws<InvalidCastException>(() => configuration.Float("max_depth")).Message);
    }

    [Fact]
    public void Values_are_compared_exactly_so_an_int_is_not_the_same_as_a_double()
    {
        var asInt = new Configuration(new Dictionary<string, object> { ["a"] = 1 });
        var asDouble = new Configuration(new Dictionary<string, object> { ["a"] = 1.0 });

        Assert.NotEqual(asInt, asDouble);
        Assert.Throws<ArgumentException>(() => new Configuration(new Dictionary<string, object> { ["a"] = 1f }));
        Assert.Throws<ArgumentException>(() => new Configuration(new Dictionary<string, object> { ["a"] = 1L }));
    }

    [Fact]
    public void Validate_names_the_first_parameter_that_does_not_fit()
    {
        Space.Validate(Make());
        Assert.True(Space.Contains(Make()));

        Assert.Equal("max_depth", Assert.Throws<ConfigurationException>(() => Space.Validate(Make(maxDepth: 0))).ParameterName);
        Assert.Equal("subsample", Assert.Throws<ConfigurationException>(() => Space.Validate(Make(subsample: double.NaN))).ParameterName);
        var extra = new Configuration(new Dictionary<string, object>(Make().Values) { ["gamma"] = 1.0 });
        Assert.Equal("gamma", Assert.Throws<ConfigurationException>(() => Space.Validate(extra)).ParameterName);
        var missing = new Configuration(Make().Values.Where(v => v.Key != "booster").ToDictionary());
        var error = Assert.Throws<ConfigurationException>(() => Space.Validate(missing));
        Assert.Equal("booster", error.ParameterName);
        Assert.Contains("missing", error.Message);
        Assert.False(Space.Contains(missing));
    }
}
