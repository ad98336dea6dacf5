// Reductions over all elements or over a list of dimensions.
#include "shim.h"

// Mirrored by ReduceOp in TensorReductions.cs.
enum ReduceOp { kSum = 0, kMean, kProd, kAmax, kAmin, kVar, kStd, kLogSumExp, kAll, kAny, kArgMax, kArgMin };

static int64_t single_dim(int count, const int64_t* dims, const char* what) {
  if (count != 1) throw std::invalid_argument(std::string(what) + " reduces over one dimension at a time");
  return dims[0];
}

// count == 0 reduces over every element.
static at::Tensor reduce(int op, const at::Tensor& t, const int64_t* dims, int count, bool keepdim,
                         bool unbiased) {
  auto d = mlp::dims(dims, count);
  bool all = count == 0;
  switch (op) {
    case kSum: return all ? t.sum() : t.sum(d, keepdim);
    case kMean: return all ? t.mean() : t.mean(d, keepdim);
    case kProd: return all ? t.prod() : t.prod(single_dim(count, dims, "prod"), keepdim);
    case kAmax: return all ? t.max() : t.amax(d, keepdim);
    case kAmin: return all ? t.min() : t.amin(d, keepdim);
    case kVar: return all ? t.var(unbiased) : t.var(d, unbiased, keepdim);
    case kStd: return all ? t.std(unbiased) : t.std(d, unbiased, keepdim);
    case kLogSumExp: return all ? t.reshape({-1}).logsumexp(0) : t.logsumexp(d, keepdim);
    case kAll: return all ? t.all() : t.all(single_dim(count, dims, "all"), keepdim);
    case kAny: return all ? t.any() : t.any(single_dim(count, dims, "any"), keepdim);
    case kArgMax: return all ? t.argmax() : t.argmax(single_dim(count, dims, "argmax"), keepdim);
    case kArgMin: return all ? t.argmin() : t.argmin(single_dim(count, dims, "argmin"), keepdim);
  }
  throw std::invalid_argument("unknown reduction " + std::to_string(op));
}

MLP_API tensor_t mlp_reduce(int op, tensor_t t, const int64_t* dims, int count, int keepdim,
                            int unbiased) {
  MLP_RETURN_TENSOR(reduce(op, *t, dims, count, keepdim != 0, unbiased != 0));
}

// The largest (is_max != 0) or smallest values along `dim` and where they are.
MLP_API int mlp_extreme_dim(tensor_t t, int is_max, int64_t dim, int keepdim, tensor_t* values,
                            tensor_t* indices) {
  MLP_TRY
  auto result = is_max ? t->max(dim, keepdim != 0) : t->min(dim, keepdim != 0);
  *values = mlp::wrap(std::get<0>(result));
  *indices = mlp::wrap(std::get<1>(result));
  return 0;
  MLP_CATCH(-1)
}

MLP_API tensor_t mlp_cumsum(tensor_t t, int64_t dim) { MLP_RETURN_TENSOR(t->cumsum(dim)); }
