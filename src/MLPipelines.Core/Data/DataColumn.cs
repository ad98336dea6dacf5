namespace MLPipelines.Data;

/// <summary>
/// One column of a <see cref="DataTable"/>: immutable values of one type, any of which may be
/// missing. Build one with the constructors of the concrete types; they copy nothing, so the
/// arrays passed in must not be changed afterwards.
/// </summary>
public abstract class DataColumn
{
    protected DataColumn(string name) => Name = name;

    public string Name { get; }

    public abstract ColumnType Type { get; }

    /// <summary>The number of rows.</summary>
    public abstract int Length { get; }

    public abstract bool IsMissing(int row);

    /// <summary>The number of missing values.</summary>
    public int MissingCount
    {
        get
        {
            var count = 0;
            for (var i = 0; i < Length; i++) if (IsMissing(i)) count++;
            return count;
        }
    }

    /// <summary>The value as text, for messages and CSV output (null when missing).</summary>
    public abstract string? Format(int row);

    /// <summary>A new column with the given rows, in that order.</summary>
    public abstract DataColumn Select(ReadOnlySpan<int> rows);

    /// <summary>The same values under another name.</summary>
    public abstract DataColumn Rename(string name);

    public ColumnSchema Schema => new(Name, Type);

    public override string ToString() => $"{Name} ({Type}, {Length} rows)";
}
