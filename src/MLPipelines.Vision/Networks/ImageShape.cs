namespace MLPipelines.Vision.Networks;

/// <summary>The channels, height and width of the images a model reads, as a pixel vector of <see cref="Length"/> values.</summary>
public sealed record ImageShape(int Channels, int Height, int Width)
{
    public int Length => Channels * Height * Width;

    public override string ToString() => $"{Channels} × {Height} × {Width}";

    /// <summary>
    /// The shape of pixel vectors of <paramref name="length"/> values: the given height and width, or square
    /// images when they are not given; the given channels, or those that make the length fit (for square images
    /// one at most does: 3·side² is never a square). A length that fits neither is an error that says what would.
    /// </summary>
    public static ImageShape Of(int length, int? channels, int? height, int? width, string column)
    {
        if (channels is not (null or 1 or 3)) throw new ArgumentException($"images have 1 (grey) or 3 (red, green, blue) channels, not {channels}");
        foreach (var c in channels is { } given ? [given] : new[] { 1, 3 })
            if (Fit(length, c, height, width) is { } shape)
                return shape;
        var what = channels is null ? "grey or colour" : channels == 1 ? "grey" : "colour";
        throw new ArgumentException(height is null && width is null
            ? $"'{column}' holds {length} values per row, which are not {what} square images: set ImageChannels, ImageHeight and ImageWidth"
            : $"'{column}' holds {length} values per row, which are not {what} images of {height ?? width} × {width ?? height}");
    }

    private static ImageShape? Fit(int length, int channels, int? height, int? width)
    {
        if (height is null && width is null)
        {
            var side = (int)Math.Round(Math.Sqrt(length / (double)channels));
            return side * side * channels == length ? new ImageShape(channels, side, side) : null;
        }
        var shape = new ImageShape(channels, height ?? width!.Value, width ?? height!.Value);
        return shape.Length == length ? shape : null;
    }
}
