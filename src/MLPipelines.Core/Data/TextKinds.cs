namespace MLPipelines.Data;

/// <summary>Telling free text and identifiers from categories, the same way for CSV type inference and for the featurizer.</summary>
internal static class TextKinds
{
    /// <summary>
    /// The share of rows above which a column's distinct values make it an identifier: AutoGluon's
    /// (DropUniqueFeatureGenerator's max_unique_ratio, which drops such categorical columns).
    /// </summary>
    public const double IdentifierShare = 0.99;

    /// <summary>
    /// An identifier (an ID, a name, a timestamp read as text): more distinct values than
    /// <see cref="IdentifierShare"/> of the rows. Its one-hot levels are each seen about once, so what a
    /// model learns from them does not carry over to new rows, which bring new values.
    /// </summary>
    public static bool IsIdentifier(int rows, int distinct) => rows > 0 && distinct > IdentifierShare * rows;

    /// <summary>Free text: at least half the values hold a space and at least half are distinct.</summary>
    public static bool IsFreeText(int values, int withSpaces, int distinct) => values > 0 && 2 * withSpaces >= values && 2 * distinct >= values;

    /// <summary>Whether a column's values look like free text rather than categories.</summary>
    public static bool LooksLikeFreeText(CategoricalColumn column)
    {
        var counts = new int[column.Levels.Count];
        foreach (var code in column.Codes) if (code >= 0) counts[code]++;
        var values = counts.Sum();
        var withSpaces = column.Levels.Select((level, i) => level.Contains(' ') ? counts[i] : 0).Sum();
        return IsFreeText(values, withSpaces, counts.Count(c => c > 0));
    }
}
