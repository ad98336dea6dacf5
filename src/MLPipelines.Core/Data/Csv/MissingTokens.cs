using System.Text;

namespace MLPipelines.Data.Csv;

/// <summary>The field values that mean "missing": the empty field and the configured tokens.</summary>
internal sealed class MissingTokens(IEnumerable<string> tokens)
{
    private readonly byte[][] _tokens = tokens.Where(t => t.Length > 0).Select(Encoding.UTF8.GetBytes).ToArray();

    public bool IsMissing(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return true;
        foreach (var token in _tokens)
            if (value.SequenceEqual(token)) return true;
        return false;
    }
}
