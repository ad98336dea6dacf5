// Mixed precision on the CPU: libtorch's autocast, as torch.autocast("cpu", dtype=torch.bfloat16)
// enters and leaves it. Inside, matrix products (linear, matmul, bmm, addmm) run in bfloat16
// through oneDNN, which on CPUs with AVX-512 BF16 does twice the multiply-adds per instruction;
// weights, gradients and the optimizer stay float32. The state is the calling thread's.
#include "shim.h"

#include <ATen/autocast_mode.h>

// Enters a bfloat16 autocast region on this thread; returns whether it was already enabled.
MLP_API int mlp_autocast_cpu_enter() {
  MLP_TRY
    const bool previous = at::autocast::is_cpu_enabled();
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::increment_nesting();
    return previous ? 1 : 0;
  MLP_CATCH(-1)
}

// Leaves the region entered last: restores the previous state and, leaving the outermost one,
// drops the bfloat16 copies of the weights autocast cached (they are stale after the next step).
MLP_API int mlp_autocast_cpu_exit(int previous) {
  MLP_TRY
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(previous != 0);
    return 0;
  MLP_CATCH(-1)
}

// Whether this CPU multiplies bfloat16 in hardware (AVX-512 BF16; every CPU with AMX has it too):
// elsewhere oneDNN converts to float32 and back, and mixed precision is slower than float32.
MLP_API int mlp_cpu_has_native_bf16() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512bf16") ? 1 : 0;
#else
  return 0;
#endif
}
