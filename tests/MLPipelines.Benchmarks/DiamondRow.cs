using MLPipelines.Data;

namespace MLPipelines.Benchmarks;

/// <summary>A raw diamonds row, as a user's class for PredictionEngine.</summary>
internal sealed class Diamond
{
    public float carat { get; set; }
    public string cut { get; set; } = "";
    public string color { get; set; } = "";
    public string clarity { get; set; } = "";
    public float depth { get; set; }
    public float table { get; set; }
    public float price { get; set; }
    public float x { get; set; }
    public float y { get; set; }
    public float z { get; set; }

    public static Diamond From(DataTable rows, int row)
    {
        float Number(string name) => (float)rows.Column<NumericColumn>(name)[row];
        string Text(string name) => rows[name].Format(row) ?? "";
        return new Diamond
        {
            carat = Number("carat"), cut = Text("cut"), color = Text("color"), clarity = Text("clarity"), depth = Number("depth"),
            table = Number("table"), price = Number("price"), x = Number("x"), y = Number("y"), z = Number("z"),
        };
    }
}

/// <summary>A PredictionEngine's output of a regression pipeline.</summary>
internal sealed class Price
{
    public float Score { get; set; }
}
