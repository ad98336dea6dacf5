#include "fused_adamw.h"

#include <cmath>

namespace mlp {

namespace {

struct Coefficients {
  double decay;         // 1 - lr · weight_decay
  double beta1, beta2;
  double step_size;     // lr / (1 - beta1^t)
  double bc2_sqrt;      // sqrt(1 - beta2^t)
  double eps;
};

template <typename T, bool AMSGrad>
void update_in_one_pass(T* __restrict__ w, const T* __restrict__ g, T* __restrict__ m, T* __restrict__ v,
                        T* __restrict__ v_max, int64_t count, const Coefficients& c) {
  const T decay = c.decay, b1 = c.beta1, b2 = c.beta2, one_minus_b1 = 1 - c.beta1, one_minus_b2 = 1 - c.beta2;
  const T step_size = c.step_size, bc2_sqrt = c.bc2_sqrt, eps = c.eps;
  at::parallel_for(0, count, 16384, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const T gi = g[i];
      const T mi = m[i] * b1 + one_minus_b1 * gi;
      const T vi = v[i] * b2 + one_minus_b2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      T second = vi;
      if constexpr (AMSGrad) {
        second = std::max(v_max[i], vi);
        v_max[i] = second;
      }
      const T denominator = std::sqrt(second) / bc2_sqrt + eps;
      w[i] = w[i] * decay - step_size * mi / denominator;
    }
  });
}

template <typename T>
void update_in_one_pass(const at::Tensor& p, const at::Tensor& grad, at::Tensor& m, at::Tensor& v, at::Tensor& v_max,
                        bool amsgrad, const Coefficients& c) {
  if (amsgrad) {
    update_in_one_pass<T, true>(p.data_ptr<T>(), grad.data_ptr<T>(), m.data_ptr<T>(), v.data_ptr<T>(),
                                v_max.data_ptr<T>(), p.numel(), c);
  } else {
    update_in_one_pass<T, false>(p.data_ptr<T>(), grad.data_ptr<T>(), m.data_ptr<T>(), v.data_ptr<T>(), nullptr,
                                 p.numel(), c);
  }
}

// The same rule with ATen operations, as torch::optim::AdamW writes it.
void update_with_aten(at::Tensor& p, const at::Tensor& grad, at::Tensor& m, at::Tensor& v, at::Tensor& v_max,
                      bool amsgrad, const Coefficients& c) {
  p.mul_(c.decay);
  m.mul_(c.beta1).add_(grad, 1 - c.beta1);
  v.mul_(c.beta2).addcmul_(grad, grad, 1 - c.beta2);
  at::Tensor second = v;
  if (amsgrad) {
    at::maximum_out(v_max, v_max, v);
    second = v_max;
  }
  auto denominator = (second.sqrt() / c.bc2_sqrt).add_(c.eps);
  p.addcdiv_(m, denominator, -c.step_size);
}

bool fusable(const at::Tensor& p, const at::Tensor& grad) {
  auto type = p.scalar_type();
  return p.device().is_cpu() && grad.device().is_cpu() && (type == at::kFloat || type == at::kDouble) &&
         grad.scalar_type() == type && !grad.is_sparse() && p.is_contiguous() && grad.is_contiguous() &&
         p.sizes() == grad.sizes();
}

}  // namespace

FusedAdamW::FusedAdamW(std::vector<torch::optim::OptimizerParamGroup> groups, torch::optim::AdamWOptions defaults)
    : Optimizer(std::move(groups), std::make_unique<torch::optim::AdamWOptions>(defaults)) {}

at::Tensor FusedAdamW::step(LossClosure closure) {
  at::NoGradGuard no_grad;
  at::Tensor loss;
  if (closure != nullptr) {
    at::AutoGradMode enable_grad(true);
    loss = closure();
  }
  for (auto& group : param_groups()) {
    auto& options = static_cast<torch::optim::AdamWOptions&>(group.options());
    const double lr = options.lr();
    const double beta1 = std::get<0>(options.betas());
    const double beta2 = std::get<1>(options.betas());
    const bool amsgrad = options.amsgrad();
    for (auto& p : group.params()) {
      const auto& grad = p.grad();
      if (!grad.defined()) continue;
      TORCH_CHECK(!grad.is_sparse(), "AdamW does not support sparse gradients");
      auto& state = states_[p.unsafeGetTensorImpl()];
      if (state.step == 0) {
        state.exp_avg = at::zeros_like(p, at::MemoryFormat::Contiguous);
        state.exp_avg_sq = at::zeros_like(p, at::MemoryFormat::Contiguous);
      } else if (state.exp_avg.device() != p.device() || state.exp_avg.scalar_type() != p.scalar_type()) {
        // The parameter moved (Module.To) after the optimizer took steps: its moments follow.
        state.exp_avg = state.exp_avg.to(p.options());
        state.exp_avg_sq = state.exp_avg_sq.to(p.options());
        if (state.max_exp_avg_sq.defined()) state.max_exp_avg_sq = state.max_exp_avg_sq.to(p.options());
      }
      if (amsgrad && !state.max_exp_avg_sq.defined()) state.max_exp_avg_sq = at::zeros_like(state.exp_avg_sq);
      state.step += 1;
      Coefficients c;
      c.decay = 1 - lr * options.weight_decay();
      c.beta1 = beta1;
      c.beta2 = beta2;
      c.step_size = lr / (1 - std::pow(beta1, static_cast<double>(state.step)));
      c.bc2_sqrt = std::sqrt(1 - std::pow(beta2, static_cast<double>(state.step)));
      c.eps = options.eps();
      if (fusable(p, grad)) {
        if (p.scalar_type() == at::kFloat)
          update_in_one_pass<float>(p, grad, state.exp_avg, state.exp_avg_sq, state.max_exp_avg_sq, amsgrad, c);
        else
          update_in_one_pass<double>(p, grad, state.exp_avg, state.exp_avg_sq, state.max_exp_avg_sq, amsgrad, c);
      } else {
        update_with_aten(p, grad, state.exp_avg, state.exp_avg_sq, state.max_exp_avg_sq, amsgrad, c);
      }
    }
  }
  return loss;
}

}  // namespace mlp
