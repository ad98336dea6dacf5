using MLPipelines.Torch.Interop;

namespace MLPipelines.Torch;

// Operation codes of native/elementwise.cpp: keep them in step.
internal enum UnaryOp
{
    Neg = 0, Abs, Exp, Log, Log1p, Expm1, Sqrt, Rsqrt, Sin, Cos,
    Tanh = 10, Sigmoid, Relu, Gelu, GeluTanh, Selu, Silu, Mish, Softplus, Elu,
    Sign = 20, Floor, Ceil, Round, Reciprocal, Square, Erf, LogicalNot, IsNan, IsInf,
    IsFinite = 30,
}

internal enum BinaryOp
{
    Add = 0, Sub, Mul, Div, Pow, Maximum, Minimum, MatMul, Remainder,
    Eq = 10, Ne, Lt, Le, Gt, Ge, LogicalAnd, LogicalOr, LogicalXor,
    // Only with a scalar: scalar - tensor, scalar / tensor, scalar ^ tensor.
    ReversedSub = 100, ReversedDiv, ReversedPow,
}

/// <summary>Elementwise arithmetic, math functions and activations. All broadcast like NumPy.</summary>
public sealed partial class Tensor
{
    private Tensor Unary(UnaryOp op) => Native.Tensor(NativeMethods.mlp_unary((int)op, Handle));
    private Tensor Binary(BinaryOp op, Tensor other) => Native.Tensor(NativeMethods.mlp_binary((int)op, Handle, other.Handle));
    private Tensor Scalar(BinaryOp op, double value) => Native.Tensor(NativeMethods.mlp_scalar((int)op, Handle, value));

    // ---- arithmetic ----
    public Tensor Add(Tensor other) => Binary(BinaryOp.Add, other);
    public Tensor Add(double value) => Scalar(BinaryOp.Add, value);
    public Tensor Sub(Tensor other) => Binary(BinaryOp.Sub, other);
    public Tensor Sub(double value) => Scalar(BinaryOp.Sub, value);
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, other);
    public Tensor Mul(double value) => Scalar(BinaryOp.Mul, value);
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, other);
    public Tensor Div(double value) => Scalar(BinaryOp.Div, value);
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor Pow(double exponent) => Scalar(BinaryOp.Pow, exponent);
    public Tensor Remainder(double divisor) => Scalar(BinaryOp.Remainder, divisor);
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);

    /// <summary>Matrix product with NumPy's rules (vectors, matrices, batched matrices).</summary>
    public Tensor MatMul(Tensor other) => Binary(BinaryOp.MatMul, other);

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator +(Tensor a, double b) => a.Add(b);
    public static Tensor operator +(double a, Tensor b) => b.Add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator -(Tensor a, double b) => a.Sub(b);
    public static Tensor operator -(double a, Tensor b) => b.Scalar(BinaryOp.ReversedSub, a);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator *(Tensor a, double b) => a.Mul(b);
    public static Tensor operator *(double a, Tensor b) => b.Mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator /(Tensor a, double b) => a.Div(b);
    public static Tensor operator /(double a, Tensor b) => b.Scalar(BinaryOp.ReversedDiv, a);
    public static Tensor operator -(Tensor a) => a.Neg();

    // ---- in place (no new tensor; for state updates outside autograd) ----
    public Tensor AddInPlace(Tensor other) => InPlace(BinaryOp.Add, other);
    public Tensor SubInPlace(Tensor other) => InPlace(BinaryOp.Sub, other);
    public Tensor MulInPlace(Tensor other) => InPlace(BinaryOp.Mul, other);
    public Tensor DivInPlace(Tensor other) => InPlace(BinaryOp.Div, other);
    public Tensor AddInPlace(double value) => InPlace(BinaryOp.Add, value);
    public Tensor MulInPlace(double value) => InPlace(BinaryOp.Mul, value);

    private Tensor InPlace(BinaryOp op, Tensor other)
    {
        Native.Check(NativeMethods.mlp_binary_((int)op, Handle, other.Handle));
        return this;
    }

    private Tensor InPlace(BinaryOp op, double value)
    {
        Native.Check(NativeMethods.mlp_scalar_((int)op, Handle, value));
        return this;
    }

    // ---- math functions ----
    public Tensor Neg() => Unary(UnaryOp.Neg);
    public Tensor Abs() => Unary(UnaryOp.Abs);
    public Tensor Exp() => Unary(UnaryOp.Exp);
    public Tensor Log() => Unary(UnaryOp.Log);
    public Tensor Log1p() => Unary(UnaryOp.Log1p);
    public Tensor Expm1() => Unary(UnaryOp.Expm1);
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    public Tensor Sin() => Unary(UnaryOp.Sin);
    public Tensor Cos() => Unary(UnaryOp.Cos);
    public Tensor Sign() => Unary(UnaryOp.Sign);
    public Tensor Floor() => Unary(UnaryOp.Floor);
    public Tensor Ceil() => Unary(UnaryOp.Ceil);
    public Tensor Round() => Unary(UnaryOp.Round);
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    public Tensor Square() => Unary(UnaryOp.Square);
    public Tensor Erf() => Unary(UnaryOp.Erf);

    /// <summary>Limits every element to [min, max]; either bound may be left out.</summary>
    public Tensor Clamp(double? min = null, double? max = null) =>
        Native.Tensor(NativeMethods.mlp_clamp(Handle, min ?? 0, min.HasValue ? 1 : 0, max ?? 0, max.HasValue ? 1 : 0));

    /// <summary>Elements of <paramref name="ifTrue"/> where <paramref name="condition"/> holds, else of <paramref name="ifFalse"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor ifTrue, Tensor ifFalse) =>
        Native.Tensor(NativeMethods.mlp_where(condition.Handle, ifTrue.Handle, ifFalse.Handle));

    /// <summary>A copy with <paramref name="value"/> where the boolean <paramref name="mask"/> holds.</summary>
    public Tensor MaskedFill(Tensor mask, double value) =>
        Native.Tensor(NativeMethods.mlp_masked_fill(Handle, mask.Handle, value));

    // ---- activations ----
    public Tensor Relu() => Unary(UnaryOp.Relu);

    /// <summary>GELU with the exact erf form, or the tanh approximation when <paramref name="tanhApproximation"/>.</summary>
    public Tensor Gelu(bool tanhApproximation = false) => Unary(tanhApproximation ? UnaryOp.GeluTanh : UnaryOp.Gelu);
    public Tensor Selu() => Unary(UnaryOp.Selu);
    public Tensor Silu() => Unary(UnaryOp.Silu);
    public Tensor Mish() => Unary(UnaryOp.Mish);
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    public Tensor Softplus() => Unary(UnaryOp.Softplus);
    public Tensor Elu() => Unary(UnaryOp.Elu);
    public Tensor LeakyRelu(double negativeSlope = 0.01) => Native.Tensor(NativeMethods.mlp_leaky_relu(Handle, negativeSlope));
    public Tensor Softmax(long dim) => Native.Tensor(NativeMethods.mlp_softmax(Handle, dim));
    public Tensor LogSoftmax(long dim) => Native.Tensor(NativeMethods.mlp_log_softmax(Handle, dim));

    // ---- comparisons and logic (results are Bool tensors) ----
    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);
    public Tensor Eq(double value) => Scalar(BinaryOp.Eq, value);
    public Tensor Ne(Tensor other) => Binary(BinaryOp.Ne, other);
    public Tensor Ne(double value) => Scalar(BinaryOp.Ne, value);
    public Tensor Lt(Tensor other) => Binary(BinaryOp.Lt, other);
    public Tensor Lt(double value) => Scalar(BinaryOp.Lt, value);
    public Tensor Le(Tensor other) => Binary(BinaryOp.Le, other);
    public Tensor Le(double value) => Scalar(BinaryOp.Le, value);
    public Tensor Gt(Tensor other) => Binary(BinaryOp.Gt, other);
    public Tensor Gt(double value) => Scalar(BinaryOp.Gt, value);
    public Tensor Ge(Tensor other) => Binary(BinaryOp.Ge, other);
    public Tensor Ge(double value) => Scalar(BinaryOp.Ge, value);
    public Tensor LogicalAnd(Tensor other) => Binary(BinaryOp.LogicalAnd, other);
    public Tensor LogicalOr(Tensor other) => Binary(BinaryOp.LogicalOr, other);
    public Tensor LogicalXor(Tensor other) => Binary(BinaryOp.LogicalXor, other);
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);
    public Tensor IsNan() => Unary(UnaryOp.IsNan);
    public Tensor IsInf() => Unary(UnaryOp.IsInf);
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);

    public static Tensor operator <(Tensor a, Tensor b) => a.Lt(b);
    public static Tensor operator >(Tensor a, Tensor b) => a.Gt(b);
    public static Tensor operator <=(Tensor a, Tensor b) => a.Le(b);
    public static Tensor operator >=(Tensor a, Tensor b) => a.Ge(b);
    public static Tensor operator <(Tensor a, double b) => a.Lt(b);
    public static Tensor operator >(Tensor a, double b) => a.Gt(b);
    public static Tensor operator <=(Tensor a, double b) => a.Le(b);
    public static Tensor operator >=(Tensor a, double b) => a.Ge(b);
}
