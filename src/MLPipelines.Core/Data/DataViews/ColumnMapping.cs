using Microsoft.ML;

namespace MLPipelines.Data.DataViews;

/// <summary>
/// Columns computed from input rows and added to them, a batch of rows at a time (a model
/// predicts many rows in one call far faster than one at a time). What
/// <see cref="MappedDataView"/> and <see cref="MappedRowMapper"/> run.
/// </summary>
public interface IColumnMapping
{
    /// <summary>The columns added (names, types, annotations), in order.</summary>
    DataViewSchema AddedColumns { get; }

    /// <summary>The input columns the added columns are computed from.</summary>
    IReadOnlyList<DataViewSchema.Column> InputColumns(DataViewSchema input);

    /// <summary>At most this many rows are computed together. 1 computes each row as it is reached, on the consumer's own cursor.</summary>
    int BatchSize { get; }

    /// <summary>Computation state bound to a row of the input (which must have <see cref="InputColumns"/> active).</summary>
    IMappingBatch Bind(DataViewRow input);
}

/// <summary>Rows collected from a bound input row, their computed columns, and getters over them.</summary>
public interface IMappingBatch
{
    /// <summary>Forgets the rows collected.</summary>
    void Clear();

    /// <summary>Collects the bound row's current values.</summary>
    void Add();

    /// <summary>Computes the added columns of every row collected since <see cref="Clear"/>.</summary>
    void Compute();

    /// <summary>A getter of added column <paramref name="column"/> (index into <see cref="IColumnMapping.AddedColumns"/>) for the collected row that <paramref name="row"/> names when called.</summary>
    Delegate Getter(int column, Func<int> row);
}
