using MLPipelines.Torch;
using MLPipelines.Torch.NN;
using static MLPipelines.Torch.Tests.TensorOperationTests;

namespace MLPipelines.Torch.Tests;

/// <summary>Convolution, pooling and 2-d batch normalization against values computed by hand on a 3 × 3 image.</summary>
public sealed class ConvolutionTests : ScopedTest
{
    //  1 2 3
    //  4 5 6
    //  7 8 9
    private static Tensor Image() => Tensors.FromArray([1.0, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3);

    //  1 2
    //  3 4
    private static Tensor Kernel() => Tensors.FromArray([1.0, 2, 3, 4], 1, 1, 2, 2);

    [Fact]
    public void Conv2d_is_a_cross_correlation_with_stride_padding_and_dilation()
    {
        // Each window · kernel, not flipped: 1·1 + 2·2 + 4·3 + 5·4 = 37, and so on; plus the bias.
        AssertValues([37.5, 47.5, 67.5, 77.5], Functional.Conv2d(Image(), Kernel(), Tensors.FromArray([0.5])), 1e-12);
        // Zero padding 1, stride 2: windows start at rows/columns -1 and 1 of the image.
        // (-1,-1): only 1·4; (-1,1): 2·3 + 3·4; (1,-1): 4·2 + 7·4; (1,1): 5·1 + 6·2 + 8·3 + 9·4.
        var strided = Functional.Conv2d(Image(), Kernel(), stride: 2, padding: 1);
        Assert.Equal([1L, 1, 2, 2], strided.Shape);
        AssertValues([4, 18, 36, 77], strided, 1e-12);
        // Dilation 2 spreads the 2 × 2 kernel over the corners: 1·1 + 3·2 + 7·3 + 9·4.
        AssertValues([64], Functional.Conv2d(Image(), Kernel(), dilation: 2), 1e-12);
    }

    [Fact]
    public void Conv2d_groups_keep_channels_apart()
    {
        var twoChannels = Tensor.Cat([Image(), Image() * 10.0], 1);
        // Two groups of one channel each, 1 × 1 kernels 2 and 3: channel 0 doubled, channel 1 tripled.
        var output = Functional.Conv2d(twoChannels, Tensors.FromArray([2.0, 3.0], 2, 1, 1, 1), groups: 2);
        AssertValues([.. Enumerable.Range(1, 9).Select(v => 2.0 * v), .. Enumerable.Range(1, 9).Select(v => 30.0 * v)], output, 1e-12);
    }

    [Fact]
    public void Conv2d_module_has_pytorch_shapes_and_initialization_bounds()
    {
        TorchRuntime.ManualSeed(1);
        using var conv = new Conv2d(4, 6, kernelSize: (3, 5), stride: 2, padding: (1, 2), groups: 2);
        Assert.Equal([6L, 2, 3, 5], conv.Weight.Shape);
        Assert.Equal([6L], conv.Bias!.Shape);
        var bound = 1 / Math.Sqrt(2 * 3 * 5);
        Assert.All(conv.Weight.ToArray<float>(), w => Assert.InRange(w, -bound, bound));
        Assert.True(conv.Weight.Abs().Max().ToDouble() > 0.8 * bound, "weights should fill their range");
        Assert.Equal([2L, 6, 4, 5], conv.Forward(Tensors.Ones([2, 4, 7, 9])).Shape);
        Assert.Throws<ArgumentException>(() => new Conv2d(3, 6, 3, groups: 2));
    }

    [Fact]
    public void Max_pooling_takes_each_windows_maximum_and_ceil_mode_keeps_the_partial_windows()
    {
        AssertValues([5, 6, 8, 9], Functional.MaxPool2d(Image(), 2, stride: 1));
        AssertValues([5], Functional.MaxPool2d(Image(), 2));
        AssertValues([5, 6, 8, 9], Functional.MaxPool2d(Image(), 2, ceilMode: true));
        // Padding never wins a maximum: ResNet's stem pooling (3 × 3, stride 2, padding 1).
        AssertValues([5, 6, 8, 9], new MaxPool2d(3, stride: 2, padding: 1).Forward(Image()));
    }

    [Fact]
    public void Average_pooling_counts_padding_only_when_asked()
    {
        AssertValues([3, 4, 6, 7], Functional.AvgPool2d(Image(), 2, stride: 1), 1e-12);
        // Padding 1, stride 2: the windows see 1 | 2 3 | 4 7 | 5 6 8 9 of the image.
        AssertValues([0.25, 1.25, 2.75, 7], Functional.AvgPool2d(Image(), 2, padding: 1), 1e-12);
        AssertValues([1, 2.5, 5.5, 7], new AvgPool2d(2, padding: 1, countIncludePad: false).Forward(Image()), 1e-12);
    }

    [Fact]
    public void Adaptive_average_pooling_chooses_windows_for_the_output_size()
    {
        AssertValues([5], new AdaptiveAvgPool2d(1).Forward(Image()), 1e-12);
        // 3 → 2 rows: windows [0, 2) and [1, 3) (start ⌊i·3/2⌋, end ⌈(i+1)·3/2⌉), likewise columns.
        AssertValues([3, 4, 6, 7], Functional.AdaptiveAvgPool2d(Image(), 2), 1e-12);
        Assert.Equal([1L, 9], new Flatten().Forward(Image()).Shape);
    }

    [Fact]
    public void Batch_norm_2d_normalizes_each_channel_over_batch_height_and_width()
    {
        using var norm = new BatchNorm2d(2);
        // Channel 0: 1, 3 (mean 2, biased variance 1, unbiased 2); channel 1: -2, 2 (mean 0, variance 4, unbiased 8).
        var batch = Tensors.FromArray([1f, 3f, -2f, 2f], 1, 2, 1, 2);
        var (d0, d1) = (Math.Sqrt(1 + 1e-5), Math.Sqrt(4 + 1e-5));
        AssertValues([-1 / d0, 1 / d0, -2 / d1, 2 / d1], norm.Forward(batch), 1e-6);
        AssertValues([0.2, 0], norm.RunningMean, 1e-6);     // 0.9·0 + 0.1·mean
        AssertValues([1.1, 1.7], norm.RunningVar, 1e-6);    // 0.9·1 + 0.1·unbiased variance
        var error = Assert.Throws<ArgumentException>(() => norm.Forward(Tensors.Ones([4, 2])));
        Assert.Contains("[N, C, H, W]", error.Message);
        Assert.Throws<ArgumentException>(() => new BatchNorm1d(2).Forward(Tensors.Ones([1, 2, 3, 4])));
    }

    [Fact]
    public void Channels_last_changes_the_layout_not_the_values_or_the_result()
    {
        TorchRuntime.ManualSeed(2);
        using var conv = new Conv2d(3, 4, 3, padding: 1);
        var images = Tensors.Randn([2, 3, 6, 5]);
        var channelsLast = images.ToChannelsLast();
        Assert.False(images.IsChannelsLast);
        Assert.True(channelsLast.IsChannelsLast);
        Assert.Equal(images.Shape, channelsLast.Shape);
        Assert.Equal(images.ToArray<float>(), channelsLast.ToArray<float>());
        AssertValues([.. conv.Forward(images).ToArray<float>().Select(v => (double)v)], conv.Forward(channelsLast), 1e-5);
    }

    [Fact]
    public void A_module_laid_out_channels_last_keeps_its_parameters_and_outputs_channels_last()
    {
        TorchRuntime.ManualSeed(3);
        using var conv = new Conv2d(3, 4, 3, padding: 1);
        var images = Tensors.Randn([2, 3, 6, 5]);
        var weight = conv.NamedParameters().Single(p => p.Name == "weight").Parameter;
        var before = conv.Forward(images).ToArray<float>();
        var values = weight.ToArray<float>();

        conv.ToChannelsLast();

        // The same parameter object (an optimizer holding it sees the change), the same values, a new layout.
        Assert.Same(weight, conv.NamedParameters().Single(p => p.Name == "weight").Parameter);
        Assert.True(weight.IsChannelsLast);
        Assert.Equal(values, weight.ToArray<float>());
        var output = conv.Forward(images.ToChannelsLast());
        Assert.True(output.IsChannelsLast);
        AssertValues([.. before.Select(v => (double)v)], output, 1e-5);
        // Training still reaches the relaid weight.
        output.Sum().Backward();
        Assert.NotNull(weight.Grad);
    }

    [Fact]
    public void Bilinear_resizing_flipping_and_padding()
    {
        // 1 × 2 → 1 × 4 with half-pixel centres: output x maps to input (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25,
        // clamped at the edges: 1, 1.25, 1.75, 2.
        var row = Tensors.FromArray([1.0, 2.0], 1, 1, 1, 2);
        AssertValues([1, 1.25, 1.75, 2], Functional.ResizeBilinear(row, (1, 4)), 1e-12);
        AssertValues([3, 2, 1, 6, 5, 4, 9, 8, 7], Image().Flip(3));
        // [left, right, top, bottom] = [1, 0, 0, 1]: a column of 7s on the left, a row of 7s below.
        AssertValues([7, 1, 2, 3, 7, 4, 5, 6, 7, 7, 8, 9, 7, 7, 7, 7], Functional.Pad(Image(), [1, 0, 0, 1], 7), 1e-12);
    }
}
