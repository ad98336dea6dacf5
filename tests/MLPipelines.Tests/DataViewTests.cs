using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Data.Csv;
using MLPipelines.Data.DataViews;

namespace MLPipelines.Tests;

/// <summary>The project's tables as ML.NET views, and back.</summary>
public sealed class DataViewTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 3);
    private readonly string _directory = TestData.TemporaryDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_CSV_loads_with_inferred_ML_NET_types()
    {
        var credit = _ml.Data.LoadCsv(TestData.PathOf("credit_data"));
        Assert.Equal(4454, credit.GetRowCount());
        Assert.Equal(NumberDataViewType.Single, credit.Schema["Income"].Type);
        Assert.Equal(TextDataViewType.Instance, credit.Schema["Home"].Type);
        var incomes = credit.GetColumn<float>("Income").ToArray();
        Assert.Equal(381, incomes.Count(float.IsNaN));
        Assert.Equal(6, credit.GetColumn<ReadOnlyMemory<char>>("Home").Count(h => h.IsEmpty));   // missing categories are empty text
        Assert.Equal((float)credit.Table.Column<NumericColumn>("Price")[17], credit.GetColumn<float>("Price").ElementAt(17));
    }

    [Fact]
    public void Booleans_are_Boolean_unless_a_value_is_missing()
    {
        var path = Path.Combine(_directory, "flags.csv");
        File.WriteAllText(path, "a,b,y\ntrue,true,1\nfalse,,2\nTRUE,false,3\n");
        var view = _ml.Data.LoadCsv(path);
        Assert.Equal(BooleanDataViewType.Instance, view.Schema["a"].Type);
        Assert.Equal([true, false, true], view.GetColumn<bool>("a"));
        Assert.Equal(NumberDataViewType.Single, view.Schema["b"].Type);
        Assert.Equal([1f, float.NaN, 0f], view.GetColumn<float>("b"));
    }

    [Fact]
    public void Views_shuffle_subset_and_read_back_into_tables()
    {
        var table = TestData.Load("sklearn_iris");
        var view = new DataTableView(table);
        var shuffled = _ml.Data.ShuffleRows(view, seed: 1).GetColumn<float>("sepal length (cm)").ToArray();
        Assert.Equal(view.GetColumn<float>("sepal length (cm)").Order(), shuffled.Order());
        Assert.NotEqual(view.GetColumn<float>("sepal length (cm)"), shuffled);

        var subset = view.Subset([3, 0, 7]);
        Assert.Equal(new[] { 3, 0, 7 }.Select(r => (float)table.Column<NumericColumn>("petal width (cm)")[r]), subset.GetColumn<float>("petal width (cm)"));
        Assert.Equal(table.DescribeRow(7), subset.DescribeRow(2));
        var walked = new RowSubsetView(_ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new { X = (float)i })), [1, 4, 9]);
        Assert.Equal(new[] { 1f, 4f, 9f }, walked.GetColumn<float>("X"));

        var back = ColumnReaders.ToTable(view, view.Schema.ToList());
        Assert.Equal(table.Schema.Select(c => c.Name), back.Schema.Select(c => c.Name));
        Assert.Equal(Enumerable.Range(0, table.RowCount).Select(table["species"].Format), Enumerable.Range(0, back.RowCount).Select(back["species"].Format));
    }

    [Fact]
    public void SaveCsv_writes_what_LoadCsv_reads()
    {
        var penguins = _ml.Data.LoadCsv(TestData.PathOf("penguins"));
        var path = Path.Combine(_directory, "penguins.csv");
        _ml.Data.SaveCsv(penguins, path);
        var again = _ml.Data.LoadCsv(path);
        Assert.Equal(penguins.GetColumn<float>("bill_length_mm"), again.GetColumn<float>("bill_length_mm"));
        Assert.Equal(penguins.GetColumn<ReadOnlyMemory<char>>("sex").Select(s => s.ToString()), again.GetColumn<ReadOnlyMemory<char>>("sex").Select(s => s.ToString()));

        // In a spreadsheet's decimal-comma layout, the same values; read back in that layout, it is kept again.
        var european = Path.Combine(_directory, "penguins-european.csv");
        _ml.Data.SaveCsv(penguins, european, new CsvLayout(';', ','));
        Assert.StartsWith("species;island;bill_length_mm", File.ReadLines(european).First());
        var read = _ml.Data.LoadCsv(european);
        Assert.Equal(new CsvLayout(';', ','), read.Table.Origins!.Layout);
        Assert.Equal(penguins.GetColumn<float>("bill_length_mm"), read.GetColumn<float>("bill_length_mm"));
    }
}
