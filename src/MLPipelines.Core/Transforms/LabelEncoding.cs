using MLPipelines.Data;

namespace MLPipelines.Transforms;

/// <summary>
/// The label column and, for classification, its classes: sorted in ordinal order of their
/// names (booleans: false, true), except that a two-class label's positive class is index 1.
/// Kept in the model, so predictions map back to class names.
/// </summary>
public sealed record LabelEncoding(string Column, ColumnType ColumnType, LabelKind Kind, string[] ClassNames)
{
    /// <summary>Learns the label from the training rows; every row needs a valid label.</summary>
    public static LabelEncoding Fit(DataTable data, string label, string? positiveClass)
    {
        if (!data.Schema.TryGetColumn(label, out var schema))
            throw new DataValidationException($"the label column '{label}' is not in the data (columns: {string.Join(", ", data.Schema.Select(c => c.Name))})");
        if (data.RowCount == 0) throw new DataValidationException("there are no rows to learn from");
        var column = data[label];
        switch (column)
        {
            case NumericColumn:
                if (positiveClass is not null)
                    throw new DataValidationException($"a positive class '{positiveClass}' was given, but the label '{label}' is numeric (regression); declare it categorical to classify");
                var encoding = new LabelEncoding(label, ColumnType.Numeric, LabelKind.Numeric, []);
                encoding.Encode(data);
                return encoding;
            case CategoricalColumn or BooleanColumn:
                RequireNoMissing(data, column, label);
                var present = Enumerable.Range(0, data.RowCount).Select(row => column.Format(row)!).Distinct().Order(StringComparer.Ordinal).ToList();
                if (present.Count < 2)
                    throw new DataValidationException($"the label '{label}' has a single class ('{present[0]}') in these rows: a classifier needs at least two");
                if (positiveClass is not null)
                {
                    if (present.Count != 2) throw new DataValidationException($"a positive class is for two-class labels, but '{label}' has {present.Count} classes");
                    if (!present.Contains(positiveClass))
                        throw new DataValidationException($"the positive class '{positiveClass}' is not a class of '{label}' (classes: {string.Join(", ", present)})");
                    present = [present.Single(c => c != positiveClass), positiveClass];
                }
                return new LabelEncoding(label, schema.Type, LabelKind.Classes, present.ToArray());
            default:
                throw new DataValidationException($"the label '{label}' is {schema.Type}: a label must be numeric (regression), categorical or boolean (classification)");
        }
    }

    /// <summary>
    /// Encodes the label of rows: null when the rows have no label column (or it is entirely
    /// missing, as in rows to predict); otherwise every row must hold a valid label.
    /// </summary>
    public LabelData? Encode(DataTable data)
    {
        if (!data.Schema.TryGetColumn(Column, out var schema)) return null;
        var column = data[Column];
        if (column.MissingCount == data.RowCount && data.RowCount > 0) return null;
        if (schema.Type != ColumnType)
            throw new DataValidationException($"the label '{Column}' is {schema.Type} in these rows, but the model was trained with it as {ColumnType}");
        if (Kind == LabelKind.Numeric)
        {
            var values = ((NumericColumn)column).Values.ToArray();
            var bad = Array.FindIndex(values, v => !double.IsFinite(v));
            if (bad >= 0)
                throw new DataValidationException($"the label '{Column}' is {Describe(values[bad])} on {data.DescribeRow(bad)} ({values.Count(v => !double.IsFinite(v))} rows in all): every labelled row needs a finite number; remove those rows");
            return LabelData.Numeric(values);
        }
        RequireNoMissing(data, column, Column);
        var index = ClassNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var classes = new int[data.RowCount];
        for (var row = 0; row < classes.Length; row++)
        {
            var name = column.Format(row)!;
            if (!index.TryGetValue(name, out classes[row]))
                throw new DataValidationException($"the label '{Column}' has the class '{name}' on {data.DescribeRow(row)}, which the model was not trained on (classes: {string.Join(", ", ClassNames)})");
        }
        return LabelData.ForClasses(classes, ClassNames);
    }

    private static void RequireNoMissing(DataTable data, DataColumn column, string label)
    {
        var missing = column.MissingCount;
        if (missing == data.RowCount)
            throw new DataValidationException($"the label '{label}' is missing in every row");
        if (missing > 0)
        {
            var first = Enumerable.Range(0, data.RowCount).First(column.IsMissing);
            throw new DataValidationException($"the label '{label}' is missing on {data.DescribeRow(first)} ({missing} rows in all): every labelled row needs a label; remove those rows");
        }
    }

    private static string Describe(double value) => double.IsNaN(value) ? "missing" : value > 0 ? "+infinity" : "-infinity";
}
