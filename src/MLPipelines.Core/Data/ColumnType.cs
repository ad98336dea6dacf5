namespace MLPipelines.Data;

/// <summary>What a column holds.</summary>
public enum ColumnType
{
    /// <summary>Numbers (stored as double; missing = NaN).</summary>
    Numeric,

    /// <summary>A value from a set of levels (stored as level codes).</summary>
    Categorical,

    /// <summary>Free text.</summary>
    Text,

    /// <summary>true / false.</summary>
    Boolean,
}

/// <summary>What a column is for in a model.</summary>
public enum ColumnRole
{
    Feature,
    Label,
    Ignored,
}
