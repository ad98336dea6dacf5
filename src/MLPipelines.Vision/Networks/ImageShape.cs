namespace MLPipelines.Vision.Networks;

/// <summary>The channels, height and width of the images a model reads, as a pixel vector of <see cref="Length"/> values.</summary>
public sealed record ImageShape(int Channels, int Height, int Width)
{
    public int Length => Channels * Height * Width;

    public override string ToString() => $"{Channels} × {Height} × {Width}";

    /// <summary>
    /// The shape of pixel vectors of <paramref name="length"/> values: the given height and width, or square
    /// images when they are not given. A length that fits neither is an error that says what would.
    /// </summary>
    public static ImageShape Of(int length, int channels, int? height, int? width, string column)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"images have 1 (grey) or 3 (red, green, blue) channels, not {channels}");
        if (height is null && width is null)
        {
            var side = (int)Math.Round(Math.Sqrt(length / (double)channels));
            if (side * side * channels != length)
                throw new ArgumentException($"'{column}' holds {length} values, which are not {channels}-channel square images: set ImageHeight and ImageWidth");
            return new ImageShape(channels, side, side);
        }
        var shape = new ImageShape(channels, height ?? width!.Value, width ?? height!.Value);
        if (shape.Length != length)
            throw new ArgumentException($"'{column}' holds {length} values per row, but {shape} images have {shape.Length}");
        return shape;
    }
}
