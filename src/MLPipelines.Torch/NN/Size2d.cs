namespace MLPipelines.Torch.NN;

/// <summary>
/// A (height, width) pair: a kernel size, stride, padding or dilation of a 2-d convolution or
/// pooling. A single number means the same on both axes, as in PyTorch.
/// </summary>
public readonly record struct Size2d(long Height, long Width)
{
    public static implicit operator Size2d(long both) => new(both, both);

    public static implicit operator Size2d((long Height, long Width) pair) => new(pair.Height, pair.Width);

    public override string ToString() => Height == Width ? Height.ToString() : $"({Height}, {Width})";

    /// <summary>Pins the pair as the two int64 values the shim reads.</summary>
    internal long[] ToArray() => [Height, Width];
}
