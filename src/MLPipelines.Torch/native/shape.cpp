// Views, reshapes, slicing, indexing, gathering and joining.
#include "shim.h"

#include <limits>

// Operations taking a list of sizes or dimensions; mirrored by ShapeOp in TensorShape.cs.
enum ShapeOp { kView = 0, kReshape, kPermute, kExpand, kRepeat };

MLP_API tensor_t mlp_shape_op(int op, tensor_t t, const int64_t* values, int count) {
  MLP_TRY
  auto list = mlp::dims(values, count);
  switch (op) {
    case kView: return mlp::wrap(t->view(list));
    case kReshape: return mlp::wrap(t->reshape(list));
    case kPermute: return mlp::wrap(t->permute(list));
    case kExpand: return mlp::wrap(t->expand(list));
    case kRepeat: return mlp::wrap(t->repeat(list));
  }
  throw std::invalid_argument("unknown shape operation " + std::to_string(op));
  MLP_CATCH(nullptr)
}

MLP_API tensor_t mlp_transpose(tensor_t t, int64_t dim0, int64_t dim1) {
  MLP_RETURN_TENSOR(t->transpose(dim0, dim1));
}

// dim == INT64_MIN squeezes every dimension of size one.
MLP_API tensor_t mlp_squeeze(tensor_t t, int64_t dim) {
  MLP_RETURN_TENSOR(dim == std::numeric_limits<int64_t>::min() ? t->squeeze() : t->squeeze(dim));
}

MLP_API tensor_t mlp_unsqueeze(tensor_t t, int64_t dim) { MLP_RETURN_TENSOR(t->unsqueeze(dim)); }

MLP_API tensor_t mlp_flatten(tensor_t t, int64_t start, int64_t end) {
  MLP_RETURN_TENSOR(t->flatten(start, end));
}

MLP_API tensor_t mlp_narrow(tensor_t t, int64_t dim, int64_t start, int64_t length) {
  MLP_RETURN_TENSOR(t->narrow(dim, start, length));
}

MLP_API tensor_t mlp_select(tensor_t t, int64_t dim, int64_t index) {
  MLP_RETURN_TENSOR(t->select(dim, index));
}

MLP_API tensor_t mlp_slice(tensor_t t, int64_t dim, int64_t start, int64_t end, int64_t step) {
  MLP_RETURN_TENSOR(t->slice(dim, start, end, step));
}

MLP_API tensor_t mlp_index_select(tensor_t t, int64_t dim, tensor_t index) {
  MLP_RETURN_TENSOR(t->index_select(dim, *index));
}

MLP_API tensor_t mlp_gather(tensor_t t, int64_t dim, tensor_t index) {
  MLP_RETURN_TENSOR(t->gather(dim, *index));
}

// t[mask]: the rows (or elements) where a boolean mask is true.
MLP_API tensor_t mlp_index_mask(tensor_t t, tensor_t mask) {
  MLP_RETURN_TENSOR(t->index({*mask}));
}

MLP_API tensor_t mlp_nonzero(tensor_t t) { MLP_RETURN_TENSOR(t->nonzero()); }

MLP_API tensor_t mlp_cat(const tensor_t* list, int count, int64_t dim) {
  MLP_RETURN_TENSOR(at::cat(mlp::tensors(list, count), dim));
}

MLP_API tensor_t mlp_stack(const tensor_t* list, int count, int64_t dim) {
  MLP_RETURN_TENSOR(at::stack(mlp::tensors(list, count), dim));
}

// Splits into pieces of `size` along `dim`; returns how many were written to `pieces`.
MLP_API int mlp_split(tensor_t t, int64_t size, int64_t dim, tensor_t* pieces, int capacity) {
  MLP_TRY
  auto parts = t->split(size, dim);
  if (static_cast<int>(parts.size()) > capacity) throw std::invalid_argument("too many pieces");
  for (size_t i = 0; i < parts.size(); ++i) pieces[i] = mlp::wrap(parts[i]);
  return static_cast<int>(parts.size());
  MLP_CATCH(-1)
}

MLP_API tensor_t mlp_one_hot(tensor_t t, int64_t num_classes) {
  MLP_RETURN_TENSOR(at::one_hot(*t, num_classes));
}

MLP_API int mlp_sort(tensor_t t, int64_t dim, int descending, tensor_t* values, tensor_t* indices) {
  MLP_TRY
  auto result = t->sort(dim, descending != 0);
  *values = mlp::wrap(std::get<0>(result));
  *indices = mlp::wrap(std::get<1>(result));
  return 0;
  MLP_CATCH(-1)
}
