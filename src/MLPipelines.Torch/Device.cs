namespace MLPipelines.Torch;

/// <summary>Where a tensor lives.</summary>
public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

/// <summary>A device: the CPU, or a CUDA GPU by index (-1: the current one).</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    /// <summary>The CPU.</summary>
    public static readonly Device CPU = new(DeviceType.CPU);

    /// <summary>A CUDA GPU; see <see cref="TorchRuntime.CudaIsAvailable"/>.</summary>
    public static Device Cuda(int index = 0) => new(DeviceType.CUDA, index);

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device Parse(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        if (value == "cpu") return CPU;
        if (value == "cuda") return Cuda();
        if (value.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(value[5..], out var index) && index >= 0)
            return Cuda(index);
        throw new FormatException($"'{text}' is not a device: expected 'cpu', 'cuda' or 'cuda:N'");
    }

    /// <inheritdoc />
    public override string ToString() =>
        Type == DeviceType.CPU ? "cpu" : Index < 0 ? "cuda" : $"cuda:{Index}";
}
