// Dropout, and ReLU followed by dropout, in one pass over memory each way.
//
// Why: libtorch 1.13's CPU dropout draws a Bernoulli tensor element by element (~34 ms for the
// 4 M activations of one TabM layer, more than that layer's matrix product) and multiplies by
// it in a second pass, and a third in the backward pass. Here the mask is dropout_mask.h's
// counter hash: the backward pass recomputes it.
#include "shim.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include "dropout_mask.h"

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

using Mask = mlp::DropoutMask;

constexpr int64_t kGrain = 1 << 15;

// out[i] = kept(i) ? g(in[i]) · scale : 0 — branch-free, so that the random keep/drop pattern
// costs no mispredictions and the loop vectorizes; cloned for AVX2 and chosen at load time.
template <bool Relu>
__attribute__((target_clones("avx2", "default")))
void mask_range(const float* __restrict in, float* __restrict out, int64_t begin, int64_t end, uint64_t seed,
                uint32_t threshold, float scale) {
  const Mask mask{seed, threshold};
  for (int64_t i = begin; i < end; ++i) {
    const float kept = mask.draw(i) >= threshold ? scale : 0.0f;
    const float v = Relu ? std::max(in[i], 0.0f) : in[i];
    out[i] = v * kept;
  }
}

template <bool Relu>
void mask_into(const float* in, float* out, int64_t n, const Mask& mask, float scale) {
  // A threshold of 2^32 (p = 1) never occurs here: the fused path takes 0 < p < 1.
  const auto threshold = static_cast<uint32_t>(mask.threshold);
  at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) {
    mask_range<Relu>(in, out, begin, end, mask.seed, threshold, scale);
  });
}

// grad_in[i] = out[i] > 0 ? grad[i] · scale : 0: ReLU + dropout's backward pass from its output.
__attribute__((target_clones("avx2", "default")))
void positive_range(const float* __restrict out, const float* __restrict grad, float* __restrict result, int64_t begin,
                    int64_t end, float scale) {
  for (int64_t i = begin; i < end; ++i) result[i] = grad[i] * (out[i] > 0.0f ? scale : 0.0f);
}

// relu = false: dropout; relu = true: dropout(relu(x)).
struct FastDropout : public torch::autograd::Function<FastDropout> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input, double p, bool relu) {
    const auto x = input.contiguous();
    auto out = at::empty_like(x);
    const auto mask = Mask::drawn(p);
    const float scale = static_cast<float>(1.0 / (1.0 - p));
    if (relu) {
      mask_into<true>(x.data_ptr<float>(), out.data_ptr<float>(), x.numel(), mask, scale);
      // out > 0 exactly where the input was positive and kept: the whole backward mask.
      ctx->save_for_backward({out});
    } else {
      mask_into<false>(x.data_ptr<float>(), out.data_ptr<float>(), x.numel(), mask, scale);
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
      at::parallel_for(0, n, kGrain, [&](int64_t begin, int64_t end) { positive_range(o, g, r, begin, end, scale); });
    } else {
      const Mask mask{static_cast<uint64_t>(ctx->saved_data["seed"].toInt()),
                      static_cast<uint64_t>(ctx->saved_data["threshold"].toInt())};
      mask_into<false>(g, r, n, mask, scale);
    }
    return {result, at::Tensor(), at::Tensor()};
  }
};

// The fused path covers float tensors on the CPU in training with 0 < p < 1; anything else
// takes libtorch's own operations, which give the same distribution.
bool fused(const at::Tensor& x, double p, bool training) {
  return training && p > 0.0 && p < 1.0 && x.device().is_cpu() && x.scalar_type() == at::kFloat;
}

// Under bfloat16 autocast a linear layer's output is bfloat16: the mask runs on it converted to
// float (one conversion pass, differentiable; the next linear layer casts back), which is still
// far cheaper than libtorch's Bernoulli dropout.
at::Tensor as_float_under_autocast(const at::Tensor& x) {
  return x.scalar_type() == at::kBFloat16 && x.device().is_cpu() ? x.to(at::kFloat) : x;
}

}  // namespace

MLP_API tensor_t mlp_dropout(tensor_t x, double p, int training) {
  MLP_TRY
  const auto input = training != 0 ? as_float_under_autocast(*x) : *x;
  if (!fused(input, p, training != 0)) return mlp::wrap(at::dropout(input, p, training != 0));
  return mlp::wrap(FastDropout::apply(input, p, false));
  MLP_CATCH(nullptr)
}

MLP_API tensor_t mlp_relu_dropout(tensor_t x, double p, int training) {
  MLP_TRY
  // Predicting (no training, no gradients) the ReLU overwrites its input, a layer's fresh
  // output wherever it is used, instead of writing a copy: with TabM's [B·k, 512] activations
  // the copy's memory traffic costs a quarter of a prediction's time.
  if (training == 0 && !at::GradMode::is_enabled() && !x->requires_grad()) return mlp::wrap(at::relu_(*x));
  const auto input = training != 0 ? as_float_under_autocast(*x) : *x;
  if (!fused(input, p, training != 0)) return mlp::wrap(at::dropout(at::relu(input), p, training != 0));
  return mlp::wrap(FastDropout::apply(input, p, true));
  MLP_CATCH(nullptr)
}
