using System.Text;

namespace MLPipelines.Data.Csv;

/// <summary>The field values that mean "missing": the empty field and the configured tokens.</summary>
internal sealed class MissingTokens
{
    private readonly byte[][] _tokens;

    // Bit n is set when some token is n bytes long (n < 64): most values are rejected by their length alone.
    private readonly ulong _lengths;
    private readonly bool _hasLongTokens;

    public MissingTokens(IEnumerable<string> tokens)
    {
        _tokens = tokens.Where(t => t.Length > 0).Select(Encoding.UTF8.GetBytes).ToArray();
        foreach (var token in _tokens)
        {
            if (token.Length < 64) _lengths |= 1UL << token.Length;
            else _hasLongTokens = true;
        }
    }

    public bool IsMissing(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return true;
        if (value.Length < 64 ? (_lengths & (1UL << value.Length)) == 0 : !_hasLongTokens) return false;
        foreach (var token in _tokens)
            if (value.SequenceEqual(token)) return true;
        return false;
    }
}
