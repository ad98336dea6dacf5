using Microsoft.ML;
using Microsoft.ML.Data;
using MLPipelines.Data;
using MLPipelines.Trainers;

namespace MLPipelines.Tests;

/// <summary>How feature vectors become the rows a learner sees: ML.NET's categorical slot ranges kept, collapsed or embedded.</summary>
public sealed class FeatureLayoutTests
{
    private readonly MLContext _ml = new(seed: 1);

    /// <summary>diamonds' features built the ML.NET way: OneHotEncoding marks ranges, Concatenate carries them.</summary>
    private DataViewSchema.Column MLNetFeatures()
    {
        var data = TestData.View("diamonds");
        return _ml.Transforms.Categorical.OneHotEncoding("cut")
            .Append(_ml.Transforms.Concatenate("Features", "carat", "cut", "depth"))
            .Fit(data).Transform(data).Schema["Features"];
    }

    [Fact]
    public void ML_NET_one_hot_ranges_are_read_from_the_annotation()
    {
        var features = MLNetFeatures();
        var oneHot = FeatureLayout.For(features, _ => CategoricalTreatment.OneHot);
        Assert.Equal(7, oneHot.InputLength);
        Assert.Equal([FeatureKind.Numeric, .. Enumerable.Repeat(FeatureKind.OneHot, 5), FeatureKind.Numeric], oneHot.FeatureKinds);
        Assert.Equal("carat", oneHot.Columns[0].Name);
        Assert.StartsWith("cut.", oneHot.Columns[1].Name);

        var code = FeatureLayout.For(features, _ => CategoricalTreatment.Code);
        Assert.Equal([FeatureKind.Numeric, FeatureKind.CategoryCode, FeatureKind.Numeric], code.FeatureKinds);
        Assert.Equal("cut", code.Columns[1].Name);

        var index = FeatureLayout.For(features, levels => levels > 3 ? CategoricalTreatment.Index : CategoricalTreatment.OneHot);
        Assert.Equal(["carat", "depth"], index.FeatureNames);
        Assert.Equal(6, Assert.Single(index.Indices).Cardinality);   // 5 levels and "none"
    }

    [Fact]
    public void A_row_is_written_with_the_level_as_code_or_index()
    {
        var features = MLNetFeatures();
        float[] vector = [0.5f, 0, 0, 1, 0, 0, 61];
        var code = FeatureLayout.For(features, _ => CategoricalTreatment.Code);
        var row = new float[code.Width];
        code.Write(vector, row, []);
        Assert.Equal([0.5f, 2f, 61f], row);
        var index = FeatureLayout.For(features, _ => CategoricalTreatment.Index);
        var indices = new int[1];
        var numbers = new float[2];
        index.Write(vector, numbers, indices);
        Assert.Equal([3], indices);
        // No level set (a missing or unseen category): NaN as a code, 0 as an index.
        float[] none = [0.5f, 0, 0, 0, 0, 0, 61];
        code.Write(none, row, []);
        Assert.True(float.IsNaN(row[1]));
        index.Write(none, numbers, indices);
        Assert.Equal([0], indices);
    }

    [Fact]
    public void Without_the_annotation_every_slot_is_a_number()
    {
        var data = TestData.View("diamonds");
        var features = _ml.Transforms.Concatenate("Features", "carat", "depth", "table").Fit(data).Transform(data).Schema["Features"];
        var layout = FeatureLayout.For(features, _ => CategoricalTreatment.Code);
        Assert.Equal(Enumerable.Repeat(FeatureKind.Numeric, 3), layout.FeatureKinds);
        Assert.Equal(["carat", "depth", "table"], layout.FeatureNames);
    }

    [Fact]
    public void Ranges_outside_the_vector_or_overlapping_are_errors()
    {
        DataViewSchema.Column With(int[] ranges)
        {
            var annotations = new DataViewSchema.Annotations.Builder();
            annotations.Add(Data.DataViews.AnnotationNames.CategoricalSlotRanges, new VectorDataViewType(NumberDataViewType.Int32, ranges.Length),
                (ValueGetter<VBuffer<int>>)((ref VBuffer<int> v) => v = new VBuffer<int>(ranges.Length, ranges.ToArray())));
            var builder = new DataViewSchema.Builder();
            builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, 4), annotations.ToAnnotations());
            return builder.ToSchema()["Features"];
        }
        Assert.Contains("not within its 4 slots", Assert.Throws<DataValidationException>(() => FeatureLayout.For(With([2, 5]), _ => CategoricalTreatment.Code)).Message);
        Assert.Contains("overlapping", Assert.Throws<DataValidationException>(() => FeatureLayout.For(With([0, 2, 1, 3]), _ => CategoricalTreatment.Code)).Message);
    }
}
