// Dropout, and ReLU followed by dropout, in one pass over memory each way.
//
// Why: libtorch 1.13's CPU dropout draws a Bernoulli tensor element by element (~34 ms for the
// 4 M activations of one TabM layer, more than that layer's matrix product) and multiplies by
// it in a second pass, and a third in the backward pass. Here the keep/drop decision of
// element i is a hash of (seed, i): counter-based, so it is the same on any number of threads,
// needs no mask in memory (the backward pass recomputes it), and costs a few instructions.
// The seed of each call is drawn from libtorch's default generator, so ManualSeed makes runs
// repeat exactly.
#include "shim.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <mutex>

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// SplitMix64's finalizer: a bijective mix whose output bits pass BigCrush for consecutive inputs.
inline uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t draw_seed() {
  auto generator = at::detail::getDefaultCPUGenerator();
  auto* cpu = at::check_generator<at::CPUGeneratorImpl>(generator);
  std::lock_guard<std::mutex> lock(generator.mutex());
  return cpu->random64();
}

// Elements are decided in pairs: one 64-bit hash gives two 32-bit uniforms. Element i is kept
// when its uniform is at or above `threshold` = p · 2^32.
struct Mask {
  uint64_t seed;
  uint64_t threshold;

  // Calls f(i, kept) for i in [begin, end), begin even.
  template <typename F>
  inline void each(int64_t begin, int64_t end, F f) const {
    for (int64_t i = begin; i < end; i += 2) {
      const uint64_t h = mix(seed + 0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(i / 2 + 1));
      f(i, (h & 0xffffffffULL) >= threshold);
      if (i + 1 < end) f(i + 1, (h >> 32) >= threshold);
    }
  }
};

constexpr int64_t kGrain = 1 << 14;  // even: every chunk starts on a pair

// out[i] = kept(i) ? g(in[i]) · scale : 0, in parallel chunks.
template <typename G>
void mask_into(const float* in, float* out, int64_t n, const Mask& mask, float scale, G g) {
  at::parallel_for(0, (n + 1) / 2, kGrain / 2, [&](int64_t begin, int64_t end) {
    const int64_t first = begin * 2, last = std::min(n, end * 2);
    mask.each(first, last, [&](int64_t i, bool kept) { out[i] = kept ? g(in[i]) * scale : 0.0f; });
  });
}

Mask new_mask(double p) {
  return Mask{draw_seed(), static_cast<uint64_t>(p * 4294967296.0)};
}

// relu = false: dropout; relu = true: dropout(relu(x)).
struct FastDropout : public torch::autograd::Function<FastDropout> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input, double p, bool relu) {
    const auto x = input.contiguous();
    auto out = at::empty_like(x);
    const auto mask = new_mask(p);
    const float scale = static_cast<float>(1.0 / (1.0 - p));
    if (relu) {
      mask_into(x.data_ptr<float>(), out.data_ptr<float>(), x.numel(), mask, scale, [](float v) { return v > 0.0f ? v : 0.0f; });
      // out > 0 exactly where the input was positive and kept: the whole backward mask.
      ctx->save_for_backward({out});
    } else {
      mask_into(x.data_ptr<float>(), out.data_ptr<float>(), x.numel(), mask, scale, [](float v) { return v; });
    }
    ctx->saved_data["seed"] = static_cast<int64_t>(mask.seed);
    ctx->saved_data["threshold"] = static_cast<int64_t>(mask.threshold);
    ctx->saved_data["scale"] = static_cast<double>(scale);
    ctx->saved_data["relu"] = relu;
    return out;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list outputs) {
    const auto grad = outputs[0].contiguous();
    auto result = at::empty_like(grad);
    const float scale = static_cast<float>(ctx->saved_data["scale"].toDouble());
    const int64_t n = grad.numel();
    const float* g = grad.data_ptr<float>();
    float* r = result.data_ptr<float>();
    if (ctx->saved_data["relu"].toBool()) {
      const auto out = ctx->get_saved_variables()[0];
      const float* o = out.data_ptr<float>();
      at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) r[i] = o[i] > 0.0f ? g[i] * scale : 0.0f;
      });
    } else {
      const Mask mask{static_cast<uint64_t>(ctx->saved_data["seed"].toInt()),
                      static_cast<uint64_t>(ctx->saved_data["threshold"].toInt())};
      mask_into(g, r, n, mask, scale, [](float v) { return v; });
    }
    return {result, at::Tensor(), at::Tensor()};
  }
};

// The fused path covers float tensors on the CPU in training with 0 < p < 1; anything else
// takes libtorch's own operations, which give the same distribution.
bool fused(const at::Tensor& x, double p, bool training) {
  return training && p > 0.0 && p < 1.0 && x.device().is_cpu() && x.scalar_type() == at::kFloat;
}

}  // namespace

MLP_API tensor_t mlp_dropout(tensor_t x, double p, int training) {
  MLP_TRY
  if (!fused(*x, p, training != 0)) return mlp::wrap(at::dropout(*x, p, training != 0));
  return mlp::wrap(FastDropout::apply(*x, p, false));
  MLP_CATCH(nullptr)
}

MLP_API tensor_t mlp_relu_dropout(tensor_t x, double p, int training) {
  MLP_TRY
  if (!fused(*x, p, training != 0)) return mlp::wrap(at::dropout(at::relu(*x), p, training != 0));
  return mlp::wrap(FastDropout::apply(*x, p, true));
  MLP_CATCH(nullptr)
}
