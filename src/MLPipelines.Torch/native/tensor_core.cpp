// Tensor lifetime, creation, data transfer to and from managed memory, and metadata.
#include "shim.h"

#include <cstring>

namespace {
thread_local std::string last_error;
}

void mlp::set_last_error(const char* message) { last_error = message; }

std::atomic<int64_t> mlp::live_tensors{0};

MLP_API const char* mlp_last_error() { return last_error.c_str(); }

MLP_API void mlp_tensor_free(tensor_t t) {
  mlp::live_tensors.fetch_sub(1, std::memory_order_relaxed);
  delete t;
}

MLP_API int64_t mlp_tensor_live_count() { return mlp::live_tensors.load(std::memory_order_relaxed); }

// ---- creation --------------------------------------------------------------------------

MLP_API tensor_t mlp_tensor_from_data(const void* data, int64_t byte_count, const int64_t* shape,
                                      int ndim, int dtype, int device_type, int device_index) {
  MLP_TRY
  auto cpu = at::empty(mlp::dims(shape, ndim), mlp::options(dtype, 0, -1));
  if (static_cast<int64_t>(cpu.nbytes()) != byte_count) {
    throw std::invalid_argument("data holds " + std::to_string(byte_count) +
                                " bytes but the shape needs " + std::to_string(cpu.nbytes()));
  }
  if (byte_count > 0) std::memcpy(cpu.data_ptr(), data, byte_count);
  if (device_type == 0) return mlp::wrap(cpu);
  return mlp::wrap(cpu.to(mlp::device(device_type, device_index)));
  MLP_CATCH(nullptr)
}

enum FillKind { kZeros = 0, kOnes = 1, kEmpty = 2, kRand = 3, kRandn = 4 };

MLP_API tensor_t mlp_tensor_new(int kind, const int64_t* shape, int ndim, int dtype,
                                int device_type, int device_index) {
  MLP_TRY
  auto shape_ref = mlp::dims(shape, ndim);
  auto opts = mlp::options(dtype, device_type, device_index);
  switch (kind) {
    case kZeros: return mlp::wrap(at::zeros(shape_ref, opts));
    case kOnes: return mlp::wrap(at::ones(shape_ref, opts));
    case kEmpty: return mlp::wrap(at::empty(shape_ref, opts));
    case kRand: return mlp::wrap(at::rand(shape_ref, opts));
    case kRandn: return mlp::wrap(at::randn(shape_ref, opts));
  }
  throw std::invalid_argument("unknown fill kind " + std::to_string(kind));
  MLP_CATCH(nullptr)
}

MLP_API tensor_t mlp_tensor_full(const int64_t* shape, int ndim, double value, int dtype,
                                 int device_type, int device_index) {
  MLP_RETURN_TENSOR(at::full(mlp::dims(shape, ndim), value,
                             mlp::options(dtype, device_type, device_index)));
}

MLP_API tensor_t mlp_tensor_arange(double start, double end, double step, int dtype,
                                   int device_type, int device_index) {
  MLP_RETURN_TENSOR(at::arange(start, end, step, mlp::options(dtype, device_type, device_index)));
}

MLP_API tensor_t mlp_tensor_linspace(double start, double end, int64_t steps, int dtype,
                                     int device_type, int device_index) {
  MLP_RETURN_TENSOR(at::linspace(start, end, steps, mlp::options(dtype, device_type, device_index)));
}

MLP_API tensor_t mlp_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int ndim,
                                    int dtype, int device_type, int device_index) {
  MLP_RETURN_TENSOR(at::randint(low, high, mlp::dims(shape, ndim),
                                mlp::options(dtype, device_type, device_index)));
}

MLP_API tensor_t mlp_tensor_randperm(int64_t n, int dtype, int device_type, int device_index) {
  MLP_RETURN_TENSOR(at::randperm(n, mlp::options(dtype, device_type, device_index)));
}

MLP_API tensor_t mlp_tensor_eye(int64_t n, int dtype, int device_type, int device_index) {
  MLP_RETURN_TENSOR(at::eye(n, mlp::options(dtype, device_type, device_index)));
}

// ---- data out --------------------------------------------------------------------------

MLP_API int mlp_tensor_copy_to(tensor_t t, void* destination, int64_t byte_count) {
  MLP_TRY
  auto cpu = t->detach().to(at::kCPU).contiguous();
  if (static_cast<int64_t>(cpu.nbytes()) != byte_count) {
    throw std::invalid_argument("destination holds " + std::to_string(byte_count) +
                                " bytes but the tensor has " + std::to_string(cpu.nbytes()));
  }
  if (byte_count > 0) std::memcpy(destination, cpu.data_ptr(), byte_count);
  return 0;
  MLP_CATCH(-1)
}

MLP_API int mlp_tensor_item_double(tensor_t t, double* value) {
  MLP_RETURN_STATUS(*value = t->item<double>());
}

MLP_API int mlp_tensor_item_long(tensor_t t, int64_t* value) {
  MLP_RETURN_STATUS(*value = t->item<int64_t>());
}

// ---- metadata --------------------------------------------------------------------------

MLP_API int mlp_tensor_dim(tensor_t t) { return static_cast<int>(t->dim()); }

MLP_API int mlp_tensor_sizes(tensor_t t, int64_t* sizes, int capacity) {
  MLP_TRY
  auto s = t->sizes();
  if (static_cast<int>(s.size()) > capacity) throw std::invalid_argument("sizes buffer too small");
  for (size_t i = 0; i < s.size(); ++i) sizes[i] = s[i];
  return static_cast<int>(s.size());
  MLP_CATCH(-1)
}

MLP_API int64_t mlp_tensor_numel(tensor_t t) { return t->numel(); }

MLP_API int mlp_tensor_dtype(tensor_t t) { return static_cast<int>(t->scalar_type()); }

MLP_API void mlp_tensor_device(tensor_t t, int* type, int* index) {
  auto d = t->device();
  *type = d.is_cuda() ? 1 : 0;
  *index = d.has_index() ? d.index() : -1;
}

MLP_API int mlp_tensor_is_contiguous(tensor_t t) { return t->is_contiguous() ? 1 : 0; }

// ---- conversion and copies --------------------------------------------------------------

MLP_API tensor_t mlp_tensor_to(tensor_t t, int dtype, int device_type, int device_index) {
  MLP_RETURN_TENSOR(t->to(mlp::device(device_type, device_index), static_cast<at::ScalarType>(dtype)));
}

MLP_API tensor_t mlp_tensor_clone(tensor_t t) { MLP_RETURN_TENSOR(t->clone()); }

MLP_API tensor_t mlp_tensor_contiguous(tensor_t t) { MLP_RETURN_TENSOR(t->contiguous()); }

MLP_API tensor_t mlp_tensor_detach(tensor_t t) { MLP_RETURN_TENSOR(t->detach()); }

// Another handle to the same tensor (same storage, same autograd identity).
MLP_API tensor_t mlp_tensor_alias(tensor_t t) { MLP_RETURN_TENSOR(*t); }

// Replaces the data of `t` keeping its identity: optimizers and modules that hold `t`
// see the new data (used to move parameters between devices).
MLP_API int mlp_tensor_set_data(tensor_t t, tensor_t data) {
  MLP_RETURN_STATUS(t->set_data(*data));
}

MLP_API int mlp_tensor_copy_(tensor_t destination, tensor_t source) {
  MLP_RETURN_STATUS(destination->copy_(*source));
}

MLP_API int mlp_tensor_fill_(tensor_t t, double value) {
  MLP_RETURN_STATUS(t->fill_(mlp::scalar_for(*t, value)));
}

MLP_API int mlp_tensor_uniform_(tensor_t t, double low, double high) {
  MLP_RETURN_STATUS(t->uniform_(low, high));
}

MLP_API int mlp_tensor_normal_(tensor_t t, double mean, double std) {
  MLP_RETURN_STATUS(t->normal_(mean, std));
}
