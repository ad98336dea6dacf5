using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Vision.Data;

/// <summary>Labeled images as an ML.NET data view: a text label (the class name) and the pixels (0–255) as a known-size vector, channel after channel.</summary>
public static class ImageDataViews
{
    private sealed class ImageRow
    {
        public string Label { get; set; } = "";
        public float[] Features { get; set; } = [];
    }

    /// <summary>
    /// The images as rows of <paramref name="labelColumnName"/> (text: map it to a key for multiclass trainers,
    /// <c>ml.Transforms.Conversion.MapValueToKey</c>) and <paramref name="featureColumnName"/> (Channels × Height × Width floats).
    /// </summary>
    public static IDataView ToDataView(this LabeledImages images, MLContext ml, string labelColumnName = "Label", string featureColumnName = "Features")
    {
        var size = images.ImageLength;
        var definition = SchemaDefinition.Create(typeof(ImageRow));
        definition[nameof(ImageRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        definition[nameof(ImageRow.Features)].ColumnName = featureColumnName;
        definition[nameof(ImageRow.Label)].ColumnName = labelColumnName;
        var rows = Enumerable.Range(0, images.Count).Select(i =>
        {
            var pixels = new float[size];
            var image = images.Image(i);
            for (var p = 0; p < size; p++) pixels[p] = image[p];
            return new ImageRow { Label = images.ClassNames[images.Labels[i]], Features = pixels };
        });
        return ml.Data.LoadFromEnumerable(rows.ToList(), definition);
    }
}
