using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLPipelines.Vision.Data;

/// <summary>Labeled images as an ML.NET data view: a text label (the class name) and the pixels (0–255) as a known-size vector, channel after channel.</summary>
public static class ImageDataViews
{
    /// <summary>
    /// The images as rows of <paramref name="labelColumnName"/> (text: map it to a key for multiclass trainers,
    /// <c>ml.Transforms.Conversion.MapValueToKey</c>) and <paramref name="featureColumnName"/> (Channels × Height × Width floats).
    /// The view reads the images' bytes: a row's floats are made when a cursor reads it, so the view holds no
    /// second, four times larger copy of the pixels.
    /// </summary>
    public static IDataView ToDataView(this LabeledImages images, string labelColumnName = "Label", string featureColumnName = "Features") =>
        new LabeledImagesView(images, labelColumnName, featureColumnName);

    private sealed class LabeledImagesView : IDataView
    {
        private readonly LabeledImages _images;

        public LabeledImagesView(LabeledImages images, string label, string features)
        {
            if (label == features) throw new ArgumentException($"the label and the pixels need two column names, not '{label}' for both");
            _images = images;
            var builder = new DataViewSchema.Builder();
            builder.AddColumn(label, TextDataViewType.Instance);
            builder.AddColumn(features, new VectorDataViewType(NumberDataViewType.Single, images.ImageLength));
            Schema = builder.ToSchema();
        }

        public DataViewSchema Schema { get; }

        public bool CanShuffle => true;

        public long? GetRowCount() => _images.Count;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            int[]? order = null;
            if (rand is not null)
            {
                order = [.. Enumerable.Range(0, _images.Count)];
                rand.Shuffle(order);
            }
            return new Cursor(this, order);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded, rand)];

        private sealed class Cursor(LabeledImagesView view, int[]? order) : DataViewRowCursor
        {
            private long _position = -1;

            private int Image => order is null ? (int)_position : order[_position];

            public override long Position => _position;

            public override long Batch => 0;

            public override DataViewSchema Schema => view.Schema;

            public override bool MoveNext() => ++_position < view._images.Count;

            public override bool IsColumnActive(DataViewSchema.Column column) => true;

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                var images = view._images;
                Delegate getter = column.Index == 0
                    ? (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = images.ClassNames[images.Labels[Image]].AsMemory())
                    : (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                    {
                        var pixels = images.Image(Image);
                        var editor = VBufferEditor.Create(ref value, pixels.Length);
                        for (var p = 0; p < pixels.Length; p++) editor.Values[p] = pixels[p];
                        value = editor.Commit();
                    });
                return getter as ValueGetter<TValue>
                       ?? throw new InvalidOperationException($"column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}");
            }

            public override ValueGetter<DataViewRowId> GetIdGetter() =>
                (ref DataViewRowId id) => id = new DataViewRowId((ulong)Image, 0);
        }
    }
}
