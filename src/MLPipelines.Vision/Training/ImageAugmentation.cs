using MLPipelines.Torch;
using MLPipelines.Torch.NN;

namespace MLPipelines.Vision.Training;

/// <summary>
/// The training-time augmentation of the CIFAR and Fashion-MNIST baselines: each image shifted by up to an
/// eighth of its side in each direction (zero-padded, then cropped back: 4 pixels of 32) and mirrored left to
/// right with probability ½. Drawn from a seeded generator, so a fit repeats exactly.
/// </summary>
internal sealed class ImageAugmentation(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>[B, C, H, W] → [B, C, H, W] shifted and flipped images (new tensors).</summary>
    public Tensor Apply(Tensor images)
    {
        var (count, height, width) = (images.Size(0), images.Size(2), images.Size(3));
        var (padY, padX) = (Math.Max(1, height / 8), Math.Max(1, width / 8));
        var padded = Functional.Pad(images, [padX, padX, padY, padY]);
        var shifted = new Tensor[count];
        for (var i = 0; i < count; i++)
        {
            var image = padded.Select(0, i).Narrow(1, _random.Next(2 * (int)padY + 1), height).Narrow(2, _random.Next(2 * (int)padX + 1), width);
            shifted[i] = _random.Next(2) == 0 ? image : image.Flip(2);
        }
        return Tensor.Stack(shifted, 0);
    }
}
