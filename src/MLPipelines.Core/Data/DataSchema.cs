using System.Collections;

namespace MLPipelines.Data;

/// <summary>A column's name and type.</summary>
public sealed record ColumnSchema(string Name, ColumnType Type);

/// <summary>The ordered columns of a table. Names are unique (case-sensitive).</summary>
public sealed class DataSchema : IReadOnlyList<ColumnSchema>
{
    private readonly ColumnSchema[] _columns;
    private readonly Dictionary<string, int> _index;

    public DataSchema(IEnumerable<ColumnSchema> columns)
    {
        _columns = columns.ToArray();
        _index = new Dictionary<string, int>(_columns.Length, StringComparer.Ordinal);
        for (var i = 0; i < _columns.Length; i++)
            if (!_index.TryAdd(_columns[i].Name, i))
                throw new ArgumentException($"the column name '{_columns[i].Name}' appears twice (positions {_index[_columns[i].Name] + 1} and {i + 1})");
    }

    public int Count => _columns.Length;

    public ColumnSchema this[int index] => _columns[index];

    /// <summary>The column with this name.</summary>
    /// <exception cref="KeyNotFoundException">No column has this name; the message lists the columns.</exception>
    public ColumnSchema this[string name] => _columns[IndexOf(name)];

    public bool Contains(string name) => _index.ContainsKey(name);

    public bool TryGetColumn(string name, out ColumnSchema column)
    {
        if (_index.TryGetValue(name, out var i))
        {
            column = _columns[i];
            return true;
        }
        column = null!;
        return false;
    }

    /// <summary>The position of a column.</summary>
    /// <exception cref="KeyNotFoundException">No column has this name; the message lists the columns.</exception>
    public int IndexOf(string name) =>
        _index.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException($"there is no column '{name}' {ColumnList.For(name, _columns.Select(c => c.Name))}");

    public IEnumerator<ColumnSchema> GetEnumerator() => ((IEnumerable<ColumnSchema>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", _columns.Select(c => $"{c.Name}: {c.Type}"));
}
