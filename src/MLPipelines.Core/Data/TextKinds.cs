namespace MLPipelines.Data;

/// <summary>Telling free text from categories, the same way for CSV type inference and for the featurizer.</summary>
internal static class TextKinds
{
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
