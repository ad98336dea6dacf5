using MLPipelines.Data;

namespace MLPipelines.Tests;

/// <summary>The column an error about an absent one suggests: the same but for case, or a typo away, and only when it is the one.</summary>
public sealed class ColumnListTests
{
    private static readonly string[] Penguins = ["species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"];

    [Theory]
    [InlineData("Species", "species")]                  // case
    [InlineData("yaer", "year")]                        // two neighbours swapped: one edit
    [InlineData("iland", "island")]                     // a letter left out
    [InlineData("body_mas_gg", "body_mass_g")]          // two edits in a long name
    [InlineData("bill_lenght_mm", "bill_length_mm")]
    [InlineData("strength", null)]                      // a word of another name, not a typo of it
    [InlineData("sax", null)]                           // three letters: too short to guess at
    public void Suggests_the_column_probably_meant(string name, string? meant) => Assert.Equal(meant, ColumnList.Closest(name, Penguins));

    [Fact]
    public void Two_columns_as_near_as_each_other_are_no_guess() => Assert.Null(ColumnList.Closest("score_c", ["score_a", "score_b", "price"]));

    [Fact]
    public void The_list_says_which_is_probably_meant_before_the_columns()
    {
        Assert.Equal("(did you mean 'year'? columns: sex, year)", ColumnList.For("yaer", ["sex", "year"]));
        Assert.Equal("(columns: sex, year)", ColumnList.For("price", ["sex", "year"]));
    }
}
