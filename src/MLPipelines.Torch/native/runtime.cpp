// Process-wide settings: seeds, threads (libtorch's and the BLAS library's), devices.
#include "shim.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

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

// A training step allocates and frees the same few-hundred-KiB buffers every step, and a
// dispose scope frees a whole step's tensors at once. With glibc's default policy, buffers
// over 128 KiB are mapped fresh and free memory above 128 KiB at the top of the heap is
// handed back to the kernel, so every step faults its pages in again (measured: ~48,000
// page faults per epoch of the MLP benchmark and a third of the backward pass's time).
// These are the limits glibc's own dynamic adjustment can reach (32 MiB mapping threshold,
// twice that kept at the top); setting them fixes them from the start.
// Returns 0 when set, 1 when the C library is not glibc.
MLP_API int mlp_configure_allocator() {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  return 0;
#else
  return 1;
#endif
}

// Denormal floats (below 1.2e-38) take a slow microcoded path on x86: a tiny activation
// like Mish's softplus of a very negative input, an attention weight of exp(-90) or a decaying
// optimizer moment made training an MLP several times slower as it went on (measured: 1 s
// per epoch at first, 8 s per epoch by epoch 200). Flushing them to zero is what
// torch.set_flush_denormal(True) does. The mode belongs to each thread: libtorch's OpenMP
// workers are created by the thread that first runs parallel work and inherit its mode, and
// the existing ones are set by running one task on each (with include_workers).
// Returns 1 when set, 0 when the CPU has no such mode, -1 on error.
MLP_API int mlp_set_flush_denormal(int on, int include_workers) {
  MLP_TRY
    if (!at::globalContext().setFlushDenormal(on != 0)) return 0;
    if (include_workers != 0)
      at::parallel_for(0, at::get_num_threads(), 1, [on](int64_t, int64_t) { at::globalContext().setFlushDenormal(on != 0); });
    return 1;
  MLP_CATCH(-1)
}

// The calling thread's mode: 1 when denormals are flushed to zero, 0 when not, -1 when unknown.
MLP_API int mlp_get_flush_denormal() {
#if defined(__x86_64__) || defined(__i386__)
  constexpr unsigned int flush_to_zero = 0x8000, denormals_are_zero = 0x0040;
  return (_mm_getcsr() & (flush_to_zero | denormals_are_zero)) == (flush_to_zero | denormals_are_zero) ? 1 : 0;
#elif defined(__aarch64__)
  uint64_t fpcr;
  asm volatile("mrs %0, fpcr" : "=r"(fpcr));
  return static_cast<int>((fpcr >> 24) & 1);
#else
  return -1;
#endif
}

MLP_API int mlp_cuda_is_available() { return torch::cuda::is_available() ? 1 : 0; }

MLP_API int mlp_cuda_device_count() { return static_cast<int>(torch::cuda::device_count()); }
