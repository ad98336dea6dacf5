// Elementwise operations, dispatched by an operation code so the ABI stays small.
// The codes are mirrored by UnaryOp / BinaryOp in ElementwiseOps.cs: keep them in step.
#include "shim.h"

enum UnaryOp {
  kNeg = 0, kAbs, kExp, kLog, kLog1p, kExpm1, kSqrt, kRsqrt, kSin, kCos,
  kTanh = 10, kSigmoid, kRelu, kGelu, kGeluTanh, kSelu, kSilu, kMish, kSoftplus, kElu,
  kSign = 20, kFloor, kCeil, kRound, kReciprocal, kSquare, kErf, kLogicalNot, kIsNan, kIsInf,
  kIsFinite = 30,
};

static at::Tensor unary(int op, const at::Tensor& x) {
  switch (op) {
    case kNeg: return at::neg(x);
    case kAbs: return at::abs(x);
    case kExp: return at::exp(x);
    case kLog: return at::log(x);
    case kLog1p: return at::log1p(x);
    case kExpm1: return at::expm1(x);
    case kSqrt: return at::sqrt(x);
    case kRsqrt: return at::rsqrt(x);
    case kSin: return at::sin(x);
    case kCos: return at::cos(x);
    case kTanh: return at::tanh(x);
    case kSigmoid: return at::sigmoid(x);
    case kRelu: return at::relu(x);
    case kGelu: return at::gelu(x, "none");
    case kGeluTanh: return at::gelu(x, "tanh");
    case kSelu: return at::selu(x);
    case kSilu: return at::silu(x);
    case kMish: return at::mish(x);
    case kSoftplus: return at::softplus(x);
    case kElu: return at::elu(x);
    case kSign: return at::sign(x);
    case kFloor: return at::floor(x);
    case kCeil: return at::ceil(x);
    case kRound: return at::round(x);
    case kReciprocal: return at::reciprocal(x);
    case kSquare: return at::square(x);
    case kErf: return at::erf(x);
    case kLogicalNot: return at::logical_not(x);
    case kIsNan: return at::isnan(x);
    case kIsInf: return at::isinf(x);
    case kIsFinite: return at::isfinite(x);
  }
  throw std::invalid_argument("unknown unary operation " + std::to_string(op));
}

enum BinaryOp {
  kAdd = 0, kSub, kMul, kDiv, kPow, kMaximum, kMinimum, kMatMul, kRemainder,
  kEq = 10, kNe, kLt, kLe, kGt, kGe, kLogicalAnd, kLogicalOr, kLogicalXor,
};

static at::Tensor binary(int op, const at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case kAdd: return at::add(a, b);
    case kSub: return at::sub(a, b);
    case kMul: return at::mul(a, b);
    case kDiv: return at::div(a, b);
    case kPow: return at::pow(a, b);
    case kMaximum: return at::maximum(a, b);
    case kMinimum: return at::minimum(a, b);
    case kMatMul: return at::matmul(a, b);
    case kRemainder: return at::remainder(a, b);
    case kEq: return at::eq(a, b);
    case kNe: return at::ne(a, b);
    case kLt: return at::lt(a, b);
    case kLe: return at::le(a, b);
    case kGt: return at::gt(a, b);
    case kGe: return at::ge(a, b);
    case kLogicalAnd: return at::logical_and(a, b);
    case kLogicalOr: return at::logical_or(a, b);
    case kLogicalXor: return at::logical_xor(a, b);
  }
  throw std::invalid_argument("unknown binary operation " + std::to_string(op));
}

// `tensor op scalar`; the reversed forms (scalar op tensor) have their own codes.
enum ScalarOp { kRSub = 100, kRDiv, kRPow };

static at::Tensor with_scalar(int op, const at::Tensor& a, double value) {
  auto s = mlp::scalar_for(a, value);
  switch (op) {
    case kAdd: return at::add(a, s);
    case kSub: return at::sub(a, s);
    case kMul: return at::mul(a, s);
    case kDiv: return at::div(a, s);
    case kPow: return at::pow(a, s);
    case kRemainder: return at::remainder(a, s);
    case kEq: return at::eq(a, s);
    case kNe: return at::ne(a, s);
    case kLt: return at::lt(a, s);
    case kLe: return at::le(a, s);
    case kGt: return at::gt(a, s);
    case kGe: return at::ge(a, s);
    case kRSub: return at::rsub(a, s);
    case kRDiv: return at::mul(at::reciprocal(a), s);
    case kRPow: return at::pow(s, a);
  }
  throw std::invalid_argument("unknown scalar operation " + std::to_string(op));
}

MLP_API tensor_t mlp_unary(int op, tensor_t x) { MLP_RETURN_TENSOR(unary(op, *x)); }

MLP_API tensor_t mlp_binary(int op, tensor_t a, tensor_t b) { MLP_RETURN_TENSOR(binary(op, *a, *b)); }

MLP_API tensor_t mlp_scalar(int op, tensor_t a, double value) {
  MLP_RETURN_TENSOR(with_scalar(op, *a, value));
}

// In-place arithmetic, for the few places that update state (running statistics, inits).
MLP_API int mlp_binary_(int op, tensor_t a, tensor_t b) {
  MLP_TRY
  switch (op) {
    case kAdd: a->add_(*b); return 0;
    case kSub: a->sub_(*b); return 0;
    case kMul: a->mul_(*b); return 0;
    case kDiv: a->div_(*b); return 0;
  }
  throw std::invalid_argument("no in-place form of binary operation " + std::to_string(op));
  MLP_CATCH(-1)
}

MLP_API int mlp_scalar_(int op, tensor_t a, double value) {
  MLP_TRY
  auto s = mlp::scalar_for(*a, value);
  switch (op) {
    case kAdd: a->add_(s); return 0;
    case kSub: a->sub_(s); return 0;
    case kMul: a->mul_(s); return 0;
    case kDiv: a->div_(s); return 0;
  }
  throw std::invalid_argument("no in-place form of scalar operation " + std::to_string(op));
  MLP_CATCH(-1)
}

MLP_API tensor_t mlp_clamp(tensor_t x, double min, int has_min, double max, int has_max) {
  MLP_TRY
  c10::optional<at::Scalar> lo, hi;
  if (has_min) lo = mlp::scalar_for(*x, min);
  if (has_max) hi = mlp::scalar_for(*x, max);
  return mlp::wrap(at::clamp(*x, lo, hi));
  MLP_CATCH(nullptr)
}

MLP_API tensor_t mlp_where(tensor_t condition, tensor_t a, tensor_t b) {
  MLP_RETURN_TENSOR(at::where(*condition, *a, *b));
}

MLP_API tensor_t mlp_masked_fill(tensor_t x, tensor_t mask, double value) {
  MLP_RETURN_TENSOR(at::masked_fill(*x, *mask, mlp::scalar_for(*x, value)));
}

MLP_API tensor_t mlp_leaky_relu(tensor_t x, double negative_slope) {
  MLP_RETURN_TENSOR(at::leaky_relu(*x, negative_slope));
}
