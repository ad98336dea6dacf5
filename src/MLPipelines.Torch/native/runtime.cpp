// Process-wide settings: seeds, threads (libtorch's and the BLAS library's), devices.
#include "shim.h"

#include <dlfcn.h>

MLP_API const char* mlp_torch_version() {
  static const std::string version = std::to_string(TORCH_VERSION_MAJOR) + "." +
                                     std::to_string(TORCH_VERSION_MINOR) + "." +
                                     std::to_string(TORCH_VERSION_PATCH);
  return version.c_str();
}

MLP_API void mlp_manual_seed(uint64_t seed) { torch::manual_seed(seed); }

MLP_API int mlp_set_num_threads(int count) { MLP_RETURN_STATUS(at::set_num_threads(count)); }

MLP_API int mlp_get_num_threads() { return at::get_num_threads(); }

// libtorch multiplies matrices through whatever BLAS it was linked with, and a threaded
// OpenBLAS starts its own threads under libtorch's. The setter is looked up in the
// libraries already loaded (never loading one), so a libtorch built with MKL or with a
// single-threaded BLAS simply reports that there is nothing to set.
typedef void (*set_threads_fn)(int);
typedef int (*get_threads_fn)(void);

static void* find_blas_symbol(const char* name) {
  static const char* libraries[] = {"libopenblas.so.0", "libopenblas.so", "libblas.so.3"};
  for (const char* library : libraries) {
    void* handle = dlopen(library, RTLD_LAZY | RTLD_NOLOAD);
    if (handle == nullptr) continue;
    void* symbol = dlsym(handle, name);
    dlclose(handle);
    if (symbol != nullptr) return symbol;
  }
  return dlsym(RTLD_DEFAULT, name);
}

// Returns 0 when set, 1 when no threaded BLAS is loaded.
MLP_API int mlp_blas_set_num_threads(int count) {
  auto set = reinterpret_cast<set_threads_fn>(find_blas_symbol("openblas_set_num_threads"));
  if (set == nullptr) return 1;
  set(count);
  return 0;
}

// Returns -1 when no threaded BLAS is loaded.
MLP_API int mlp_blas_get_num_threads() {
  auto get = reinterpret_cast<get_threads_fn>(find_blas_symbol("openblas_get_num_threads"));
  return get == nullptr ? -1 : get();
}

MLP_API int mlp_cuda_is_available() { return torch::cuda::is_available() ? 1 : 0; }

MLP_API int mlp_cuda_device_count() { return static_cast<int>(torch::cuda::device_count()); }
