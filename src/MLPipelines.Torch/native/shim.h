// Shared by every file of the shim: the C ABI conventions and the exception barrier.
//
// Conventions (mirrored by NativeMethods.cs):
//  - A tensor crosses the boundary as an owning `at::Tensor*` (tensor_t). The managed side
//    frees it with mlp_tensor_free; a null tensor_t as an argument means "none" where the
//    parameter is optional.
//  - No C++ exception ever crosses the boundary. A function that fails records the message
//    in a thread-local string (mlp_last_error) and returns its failure value: nullptr for
//    functions returning a tensor or an object, -1 for functions returning a status.
//  - dtype codes are c10::ScalarType values (stable since 1.x: Byte=0, Int=3, Long=4,
//    Float=6, Double=7, Bool=11); device types are 0 = CPU, 1 = CUDA.
#pragma once

// Only the parts of libtorch the shim uses: torch/torch.h would double the compile time.
#include <ATen/ATen.h>
#include <torch/cuda.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>
#include <torch/utils.h>
#include <torch/version.h>

#include <atomic>
#include <string>
#include <vector>

#define MLP_API extern "C" __attribute__((visibility("default")))

typedef at::Tensor* tensor_t;

namespace mlp {

void set_last_error(const char* message);

// Tensors handed to the managed side and not yet freed: lets tests prove that dispose
// scopes release everything, without relying on memory figures.
extern std::atomic<int64_t> live_tensors;

inline tensor_t wrap(at::Tensor t) {
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return new at::Tensor(std::move(t));
}

inline c10::optional<at::Tensor> optional(tensor_t t) {
  if (t == nullptr) return c10::nullopt;
  return *t;
}

inline at::IntArrayRef dims(const int64_t* values, int count) {
  return at::IntArrayRef(values, static_cast<size_t>(count));
}

inline std::vector<at::Tensor> tensors(const tensor_t* handles, int count) {
  std::vector<at::Tensor> result;
  result.reserve(count);
  for (int i = 0; i < count; ++i) result.push_back(*handles[i]);
  return result;
}

inline c10::Device device(int type, int index) {
  return c10::Device(type == 1 ? c10::DeviceType::CUDA : c10::DeviceType::CPU,
                     static_cast<c10::DeviceIndex>(index));
}

inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(device(device_type, device_index));
}

// A scalar as Python would type it next to `t`: an integral value stays integral on an
// integral tensor (int64 + 2 stays int64); anything else is a double.
inline at::Scalar scalar_for(const at::Tensor& t, double value) {
  if (at::isIntegralType(t.scalar_type(), /*includeBool=*/true) &&
      value == static_cast<double>(static_cast<int64_t>(value))) {
    return at::Scalar(static_cast<int64_t>(value));
  }
  return at::Scalar(value);
}

}  // namespace mlp

#define MLP_TRY try {
#define MLP_CATCH(failure)                                  \
  }                                                         \
  catch (const c10::Error& e) {                             \
    mlp::set_last_error(e.what_without_backtrace());        \
    return failure;                                         \
  }                                                         \
  catch (const std::exception& e) {                         \
    mlp::set_last_error(e.what());                          \
    return failure;                                         \
  }                                                         \
  catch (...) {                                             \
    mlp::set_last_error("unknown C++ exception in libtorch"); \
    return failure;                                         \
  }

// The body of a function that returns a new tensor.
#define MLP_RETURN_TENSOR(expr) \
  MLP_TRY return mlp::wrap(expr); MLP_CATCH(nullptr)

// The body of a function that returns a status: 0 on success, -1 on failure.
#define MLP_RETURN_STATUS(statements) \
  MLP_TRY statements; return 0; MLP_CATCH(-1)
