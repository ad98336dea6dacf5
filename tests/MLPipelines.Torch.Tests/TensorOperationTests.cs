using MLPipelines.Torch;

namespace MLPipelines.Torch.Tests;

/// <summary>Operation results against values computed by hand.</summary>
public sealed class TensorOperationTests : ScopedTest
{
    internal static void AssertValues(double[] expected, Tensor actual, double tolerance = 1e-6)
    {
        var values = actual.To(DType.Float64).ToArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {values[i]}");
    }

    private static Tensor Matrix(float[] values, long rows, long columns) => Tensors.FromArray(values, rows, columns);

    // ---- creation and data transfer ----

    [Fact]
    public void Round_trips_float32_int64_bool_and_float64_data()
    {
        Assert.Equal([1.5f, -2f, 3.25f, 0f, 7f, 8f], Tensors.FromArray([1.5f, -2f, 3.25f, 0f, 7f, 8f], 2, 3).ToArray<float>());
        Assert.Equal([long.MaxValue, -1L, 0L], Tensors.FromArray([long.MaxValue, -1L, 0L]).ToArray<long>());
        Assert.Equal([true, false, true], Tensors.FromArray([true, false, true]).ToArray<bool>());
        Assert.Equal([Math.PI, -1e300], Tensors.FromArray([Math.PI, -1e300]).ToArray<double>());

        var t = Tensors.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        Assert.Equal([2L, 3L], t.Shape);
        Assert.Equal(2, t.Dim);
        Assert.Equal(6, t.NumberOfElements);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(Device.CPU, t.Device with { Index = -1 });
        Assert.Equal(DType.Int64, Tensors.FromArray([1L]).DType);
        Assert.Equal(DType.Bool, Tensors.FromArray([true]).DType);
    }

    [Fact]
    public void Copies_into_a_span_and_reads_scalars()
    {
        var t = Tensors.FromArray([1f, 2f, 3f]);
        Span<float> destination = stackalloc float[3];
        t.CopyTo(destination);
        Assert.Equal(2f, destination[1]);
        Assert.Equal(6.0, t.Sum().ToDouble());
        Assert.Equal(9_007_199_254_740_993L, Tensors.FromArray([9_007_199_254_740_993L]).Sum().ToInt64());
        Assert.True(Tensors.FromArray([true, true]).All().ToBoolean());
    }

    [Fact]
    public void Factories_fill_as_documented()
    {
        AssertValues([0, 0, 0, 0], Tensors.Zeros([2, 2]));
        AssertValues([1, 1, 1], Tensors.Ones([3]));
        AssertValues([2.5, 2.5], Tensors.Full([2], 2.5));
        Assert.Equal([0L, 2L, 4L], Tensors.Arange(0, 5, 2).ToArray<long>());
        AssertValues([0, 0.25, 0.5, 0.75, 1], Tensors.Linspace(0, 1, 5));
        AssertValues([1, 0, 0, 1], Tensors.Eye(2));
        Assert.Equal(7.0, Tensors.Scalar(7).ToDouble());
        Assert.Empty(Tensors.Scalar(7).Shape);
        var permutation = Tensors.RandPerm(10).ToArray<long>();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), permutation.Order());
        var integers = Tensors.RandInt(3, 6, [1000]).ToArray<long>();
        Assert.All(integers, v => Assert.InRange(v, 3, 5));
    }

    [Fact]
    public void The_same_seed_gives_the_same_samples()
    {
        TorchRuntime.ManualSeed(11);
        var first = Tensors.Randn([100]).ToArray<float>();
        var firstPermutation = Tensors.RandPerm(50).ToArray<long>();
        TorchRuntime.ManualSeed(11);
        var second = Tensors.Randn([100]).ToArray<float>();
        var secondPermutation = Tensors.RandPerm(50).ToArray<long>();
        TorchRuntime.ManualSeed(12);
        var third = Tensors.Randn([100]).ToArray<float>();
        Assert.Equal(first, second);
        Assert.Equal(firstPermutation, secondPermutation);
        Assert.NotEqual(first, third);
    }

    // ---- shapes, slicing, indexing ----

    [Fact]
    public void Reshapes_and_views()
    {
        var t = Tensors.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        Assert.Equal([3L, 2L], t.Reshape(3, 2).Shape);
        Assert.Equal([6L], t.View(-1).Shape);
        AssertValues([1, 4, 2, 5, 3, 6], t.Transpose(0, 1).Contiguous());
        AssertValues([1, 4, 2, 5, 3, 6], t.Permute(1, 0).Contiguous());
        Assert.Equal([1L, 2L, 3L], t.Unsqueeze(0).Shape);
        Assert.Equal([2L, 3L], t.Unsqueeze(0).Squeeze(0).Shape);
        Assert.Equal([2L, 3L], t.Unsqueeze(2).Squeeze().Shape);
        Assert.Equal([6L], t.Flatten().Shape);
        Assert.Equal([2L, 2L, 3L], t.Expand(2, 2, 3).Shape);
        AssertValues([1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6], t.Repeat(1, 2).Reshape(-1).Slice(0, 0, 12));
        Assert.False(t.Transpose(0, 1).IsContiguous);
    }

    [Fact]
    public void Slices_selects_and_gathers()
    {
        var t = Tensors.FromArray([0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f], 3, 4);
        AssertValues([4, 5, 6, 7], t.Select(0, 1));
        AssertValues([4, 5, 6, 7], t[1]);
        AssertValues([1, 5, 9], t.Select(1, 1));
        AssertValues([1, 2, 5, 6, 9, 10], t.Narrow(1, 1, 2));
        AssertValues([0, 2, 4, 6, 8, 10], t.Slice(1, 0, 4, 2));
        AssertValues([8, 9, 10, 11, 0, 1, 2, 3], t.IndexSelect(0, Tensors.FromArray([2L, 0L])));
        // out[i][j] = t[i][index[i][j]]
        AssertValues([3, 0, 5, 5, 10, 8], t.Gather(1, Tensors.FromArray([3L, 0L, 1L, 1L, 2L, 0L], 3, 2)));
        AssertValues([0, 1, 2, 3, 8, 9, 10, 11], t.Index(Tensors.FromArray([true, false, true])));
        Assert.Equal([0L, 1L, 1L, 1L], Tensors.FromArray([0f, 5f, 0f, 7f], 2, 2).NonZero().ToArray<long>());
    }

    [Fact]
    public void Joins_splits_one_hot_and_sorts()
    {
        var a = Tensors.FromArray([1f, 2f], 1, 2);
        var b = Tensors.FromArray([3f, 4f], 1, 2);
        AssertValues([1, 2, 3, 4], Tensor.Cat([a, b], 0));
        Assert.Equal([1L, 4L], Tensor.Cat([a, b], 1).Shape);
        Assert.Equal([2L, 1L, 2L], Tensor.Stack([a, b], 0).Shape);
        var pieces = Tensors.Arange(0, 7).Split(3);
        Assert.Equal(3, pieces.Length);
        Assert.Equal([6L], pieces[2].ToArray<long>());
        Assert.Equal([0L, 0L, 1L, 1L, 0L, 0L], Tensors.FromArray([2L, 0L]).OneHot(3).ToArray<long>());
        var (values, indices) = Tensors.FromArray([3f, 1f, 2f]).Sort(descending: true);
        AssertValues([3, 2, 1], values);
        Assert.Equal([0L, 2L, 1L], indices.ToArray<long>());
    }

    // ---- arithmetic, broadcasting, comparisons ----

    [Fact]
    public void Arithmetic_broadcasts_like_numpy()
    {
        var column = Tensors.FromArray([1f, 2f], 2, 1);
        var row = Tensors.FromArray([10f, 20f, 30f]);
        AssertValues([11, 21, 31, 12, 22, 32], column + row);
        AssertValues([-9, -19, -29, -8, -18, -28], column - row);
        AssertValues([10, 20, 30, 20, 40, 60], column * row);
        AssertValues([0.1, 0.05, 1.0 / 30, 0.2, 0.1, 2.0 / 30], column / row);
        AssertValues([3, 4], column + 2);
        AssertValues([1, 0], 2 - column);
        AssertValues([2, 1], 2 / column);
        AssertValues([1, 8], column.Pow(3));
        AssertValues([-1, -2], -column);
        AssertValues([1, 0], column.Remainder(2));
        AssertValues([10, 20, 30], row.Maximum(Tensors.FromArray([5f, 25f, 30f])).Minimum(row));
    }

    [Fact]
    public void Integer_arithmetic_stays_integral_unless_the_scalar_is_fractional()
    {
        var integers = Tensors.FromArray([1L, 2L]);
        Assert.Equal(DType.Int64, (integers + 2).DType);
        Assert.Equal([3L, 4L], (integers + 2).ToArray<long>());
        Assert.Equal(DType.Float32, (integers + 2.5).DType);
        AssertValues([3.5, 4.5], integers + 2.5);
    }

    [Fact]
    public void Math_functions()
    {
        var x = Tensors.FromArray([1.0, 4.0]);
        AssertValues([Math.E, Math.Exp(4)], x.Exp(), 1e-9);
        AssertValues([0, Math.Log(4)], x.Log(), 1e-12);
        AssertValues([1, 2], x.Sqrt());
        AssertValues([1, 0.5], x.Rsqrt());
        AssertValues([Math.Log(2), Math.Log(5)], x.Log1p(), 1e-12);
        AssertValues([Math.Sin(1), Math.Sin(4)], x.Sin(), 1e-12);
        AssertValues([Math.Cos(1), Math.Cos(4)], x.Cos(), 1e-12);
        AssertValues([1, 16], x.Square());
        AssertValues([1, 0.25], x.Reciprocal());
        AssertValues([0.8427007929497149, 0.9999999845827421], x.Erf(), 1e-12);
        AssertValues([-1, 0, 1], Tensors.FromArray([-3f, 0f, 2f]).Sign());
        // Halves round to even, as in NumPy.
        AssertValues([1, -2, 2, 4], Tensors.FromArray([1.4f, -1.6f, 2.5f, 3.5f]).Round());
        AssertValues([1, -2], Tensors.FromArray([1.4f, -1.6f]).Floor());
        AssertValues([2, -1], Tensors.FromArray([1.4f, -1.6f]).Ceil());
        AssertValues([-0.5, 0.2, 0.7], Tensors.FromArray([-3f, 0.2f, 2f]).Clamp(-0.5, 0.7));
        AssertValues([0, 0.2, 2], Tensors.FromArray([-3f, 0.2f, 2f]).Clamp(min: 0));
    }

    [Fact]
    public void Matrix_product()
    {
        // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
        var a = Matrix([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Matrix([7, 8, 9, 10, 11, 12], 3, 2);
        AssertValues([58, 64, 139, 154], a.MatMul(b));
        AssertValues([14, 32], a.MatMul(Tensors.FromArray([1f, 2f, 3f])));
        var batch = Tensor.Stack([a, a * 2], 0);
        AssertValues([58, 64, 139, 154, 116, 128, 278, 308], batch.MatMul(b));
    }

    [Fact]
    public void Comparisons_and_logic()
    {
        var x = Tensors.FromArray([1f, 2f, 3f]);
        var y = Tensors.FromArray([3f, 2f, 1f]);
        Assert.Equal([false, true, false], x.Eq(y).ToArray<bool>());
        Assert.Equal([true, false, true], x.Ne(y).ToArray<bool>());
        Assert.Equal([true, false, false], (x < y).ToArray<bool>());
        Assert.Equal([true, true, false], (x <= y).ToArray<bool>());
        Assert.Equal([false, false, true], (x > y).ToArray<bool>());
        Assert.Equal([false, true, true], (x >= y).ToArray<bool>());
        Assert.Equal([false, true, true], (x > 1.5).ToArray<bool>());
        Assert.Equal([false, true, false], x.Eq(2).ToArray<bool>());
        Assert.Equal([false, false, true], (x > 1.5).LogicalAnd(y < 2).ToArray<bool>());
        Assert.Equal([true, true, true], (x > 1.5).LogicalOr(y > 2).ToArray<bool>());
        Assert.Equal([true, false, false], (x > 1.5).LogicalNot().ToArray<bool>());
        Assert.Equal([true, false, true], (x > 1.5).LogicalXor(y > 1.5).ToArray<bool>());
        AssertValues([3, 2, 3], Tensor.Where(x > y, x, y));
        AssertValues([1, -1, 3], x.MaskedFill(x.Eq(2), -1));
        var special = Tensors.FromArray([1f, float.NaN, float.PositiveInfinity]);
        Assert.Equal([false, true, false], special.IsNan().ToArray<bool>());
        Assert.Equal([false, false, true], special.IsInf().ToArray<bool>());
        Assert.Equal([true, false, false], special.IsFinite().ToArray<bool>());
    }

    // ---- reductions ----

    [Fact]
    public void Reductions()
    {
        var t = Matrix([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal(21.0, t.Sum().ToDouble());
        AssertValues([5, 7, 9], t.Sum(0));
        Assert.Equal([2L, 1L], t.Sum(1, keepDim: true).Shape);
        AssertValues([2, 5], t.Mean(1));
        Assert.Equal(3.5, t.Mean().ToDouble(), 6);
        Assert.Equal(3.5, t.Mean([0, 1]).ToDouble(), 6);
        Assert.Equal(720.0, t.Prod().ToDouble());
        AssertValues([6, 120], t.Prod(1));
        Assert.Equal(6.0, t.Max().ToDouble());
        Assert.Equal(1.0, t.Min().ToDouble());
        AssertValues([3, 6], t.Amax(1));
        AssertValues([1, 2, 3], t.Amin(0));
        // var([1,2,3,4]) = 5/3 unbiased, 5/4 biased.
        var v = Tensors.FromArray([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(5.0 / 3, v.Var().ToDouble(), 12);
        Assert.Equal(1.25, v.Var(unbiased: false).ToDouble(), 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), v.Std().ToDouble(), 12);
        AssertValues([1, 1], t.Var(1));
        Assert.Equal(Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3) + Math.Exp(4)), v.LogSumExp(0).ToDouble(), 12);
        var (values, indices) = t.MaxAlong(1);
        AssertValues([3, 6], values);
        Assert.Equal([2L, 2L], indices.ToArray<long>());
        var (minValues, minIndices) = t.MinAlong(0);
        AssertValues([1, 2, 3], minValues);
        Assert.Equal([0L, 0L, 0L], minIndices.ToArray<long>());
        Assert.Equal(5L, t.ArgMax().ToInt64());
        Assert.Equal([2L, 2L], t.ArgMax(1).ToArray<long>());
        Assert.Equal([0L, 0L, 0L], t.ArgMin(0).ToArray<long>());
        AssertValues([1, 3, 6, 4, 9, 15], t.CumSum(1));
        Assert.True((t > 0).All().ToBoolean());
        Assert.False((t > 5).All().ToBoolean());
        Assert.True((t > 5).Any().ToBoolean());
        Assert.Equal([false, true], (t > 5).Any(1).ToArray<bool>());
    }

    // ---- conversion ----

    [Fact]
    public void Converts_element_types()
    {
        var t = Tensors.FromArray([1.7f, -2.2f]);
        Assert.Equal([1L, -2L], t.To(DType.Int64).ToArray<long>());
        Assert.Equal(DType.Float64, t.To(DType.Float64).DType);
        Assert.Equal([1.0, 0.0], Tensors.FromArray([true, false]).To(DType.Float64).ToArray<double>());
        var copy = t.Clone();
        copy.Fill(0);
        Assert.Equal(1.7f, t.ToArray<float>()[0]);
        var target = Tensors.Zeros([2]);
        target.CopyFrom(t);
        Assert.Equal(t.ToArray<float>(), target.ToArray<float>());
    }
}
