using System.Collections;

namespace MLPipelines.Torch.NN;

/// <summary>
/// Named tensors: a module's parameters and buffers by dotted path (<see cref="Module.StateDict"/>).
/// Owns its tensors. Saved and loaded bit-exactly in the format of <see cref="StateDictFile"/>.
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors = [];
    private readonly List<string> _order = [];

    /// <summary>Adds a tensor, which the dictionary then owns.</summary>
    public void Add(string name, Tensor tensor)
    {
        if (!_tensors.TryAdd(name, tensor))
            throw new ArgumentException($"the state dictionary already has '{name}'", nameof(name));
        _order.Add(name);
    }

    /// <summary>Removes a tensor and returns it; the caller then owns it.</summary>
    public Tensor Remove(string name)
    {
        if (!_tensors.Remove(name, out var tensor))
            throw new KeyNotFoundException($"the state dictionary has no '{name}'");
        _order.Remove(name);
        return tensor;
    }

    /// <inheritdoc />
    public Tensor this[string key] => _tensors.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"the state dictionary has no '{key}'");

    /// <summary>The names, in the order they were added.</summary>
    public IEnumerable<string> Keys => _order;

    /// <inheritdoc />
    public IEnumerable<Tensor> Values => _order.Select(k => _tensors[k]);

    /// <inheritdoc />
    public int Count => _order.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) => _tensors.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, Tensor>(k, _tensors[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Writes the dictionary to <paramref name="stream"/>.</summary>
    public void Save(Stream stream) => StateDictFile.Write(this, stream);

    /// <summary>Writes the dictionary to a file, through a temporary file renamed into place.</summary>
    public void Save(string path) => StateDictFile.Write(this, path);

    /// <summary>Reads a dictionary written by <see cref="Save(Stream)"/>; tensors are on the CPU.</summary>
    public static StateDict Load(Stream stream) => StateDictFile.Read(stream, "the stream");

    /// <summary>Reads a dictionary written by <see cref="Save(string)"/>; tensors are on the CPU.</summary>
    public static StateDict Load(string path)
    {
        using var stream = File.OpenRead(path);
        return StateDictFile.Read(stream, path);
    }

    /// <summary>Releases every tensor.</summary>
    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
        _order.Clear();
    }
}
