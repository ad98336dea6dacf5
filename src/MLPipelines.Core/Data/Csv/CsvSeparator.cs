namespace MLPipelines.Data.Csv;

/// <summary>
/// Which field separator a CSV file uses, when the reader is not told: the one of
/// <see cref="Candidates"/> found most often in the header row outside quotes (a semicolon where
/// a spreadsheet writes decimal commas, a tab in TSV exports), a comma on a tie or where none occurs
/// (a file of one column). The header alone decides: data rows may hold any of them inside values.
/// </summary>
internal static class CsvSeparator
{
    /// <summary>Comma first: it wins a tie.</summary>
    public static readonly byte[] Candidates = [(byte)',', (byte)';', (byte)'\t', (byte)'|'];

    public static byte Detect(ReadOnlySpan<byte> data)
    {
        var end = data.IndexOf((byte)'\n');
        var header = end < 0 ? data : data[..end];
        var counts = new int[Candidates.Length];
        var quoted = false;
        foreach (var b in header)
        {
            // A doubled quote inside a quoted field toggles twice: the state is right again after it.
            if (b == (byte)'"') quoted = !quoted;
            else if (!quoted && Array.IndexOf(Candidates, b) is var i and >= 0) counts[i]++;
        }
        var best = 0;
        for (var i = 1; i < counts.Length; i++)
            if (counts[i] > counts[best]) best = i;
        return Candidates[best];
    }
}
