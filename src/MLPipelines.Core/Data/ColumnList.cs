namespace MLPipelines.Data;

/// <summary>
/// What an error about an absent column says of the columns there are, and of the one probably meant:
/// "(did you mean 'species'? columns: sepal_length, …, species)". A column that differs only in case is suggested, and one a
/// typo away (one edit in a name of 4 characters or more, two in one of 8 or more) when no other is as close.
/// </summary>
public static class ColumnList
{
    public static string For(string name, IEnumerable<string> columns)
    {
        var names = columns.ToList();
        return Closest(name, names) is { } meant
            ? $"(did you mean '{meant}'? columns: {string.Join(", ", names)})"
            : $"(columns: {string.Join(", ", names)})";
    }

    /// <summary>The column <paramref name="name"/> probably meant, or null.</summary>
    public static string? Closest(string name, IReadOnlyList<string> columns)
    {
        var sameButCase = columns.Where(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (sameButCase.Count == 1) return sameButCase[0];
        var allowed = name.Length >= 8 ? 2 : name.Length >= 4 ? 1 : 0;
        if (allowed == 0) return null;
        var near = columns.Select(c => (Column: c, Edits: Edits(c.ToLowerInvariant(), name.ToLowerInvariant()))).Where(p => p.Edits <= allowed).ToList();
        if (near.Count == 0) return null;
        var fewest = near.Min(p => p.Edits);
        var best = near.Where(p => p.Edits == fewest).ToList();
        return best.Count == 1 ? best[0].Column : null;
    }

    /// <summary>Edits turning one name into the other: insertions, deletions, substitutions and swaps of neighbours ("yaer" → "year": one).</summary>
    private static int Edits(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j], d[i, j - 1]) + 1, d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
