using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Vision.Data;

namespace MLPipelines.Vision.Tests;

/// <summary>Labeled images as an ML.NET view: the class names and the pixels as floats, in order or shuffled by ML.NET.</summary>
public sealed class ImageDataViewTests
{
    private sealed class Row
    {
        public string Label { get; set; } = "";
        public float[] Pixels { get; set; } = [];
    }

    private static readonly LabeledImages Images = new(3, 2, 2, [.. Enumerable.Range(0, 5 * 12).Select(v => (byte)(v * 4))], [2, 0, 1, 1, 0], ["cat", "dog", "n/a"]);

    [Fact]
    public void Rows_are_the_images_class_names_and_pixels_in_order()
    {
        var view = Images.ToDataView("Label", "Pixels");

        Assert.Equal(5, view.GetRowCount());
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 12), view.Schema["Pixels"].Type);
        var rows = new MLContext(1).Data.CreateEnumerable<Row>(view, reuseRowObject: false).ToList();
        Assert.Equal(["n/a", "cat", "dog", "dog", "cat"], rows.Select(r => r.Label));
        for (var i = 0; i < 5; i++)
            Assert.Equal(Images.Image(i).ToArray().Select(b => (float)b), rows[i].Pixels);
    }

    [Fact]
    public void Ml_net_shuffles_it_and_each_label_stays_with_its_pixels()
    {
        var ml = new MLContext(1);
        var shuffled = ml.Data.CreateEnumerable<Row>(ml.Data.ShuffleRows(Images.ToDataView("Label", "Pixels"), seed: 3, shufflePoolSize: 1), reuseRowObject: false).ToList();

        Assert.Equal(5, shuffled.Count);
        var firstPixels = shuffled.Select(r => (int)r.Pixels[0] / 48).ToList();   // image i's first value is 48·i
        Assert.Equal([0, 1, 2, 3, 4], firstPixels.Order());
        Assert.NotEqual([0, 1, 2, 3, 4], firstPixels);
        Assert.All(shuffled, r => Assert.Equal(Images.ClassNames[Images.Labels[(int)r.Pixels[0] / 48]], r.Label));
    }

    [Fact]
    public void One_name_for_both_columns_is_refused() =>
        Assert.Contains("two column names", Assert.Throws<ArgumentException>(() => Images.ToDataView("x", "x")).Message);
}
