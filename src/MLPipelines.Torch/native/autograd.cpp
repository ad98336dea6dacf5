// Autograd entry points and gradient clipping.
#include "shim.h"

#include <cmath>

// ---- autograd --------------------------------------------------------------------------

MLP_API int mlp_tensor_requires_grad(tensor_t t) { return t->requires_grad() ? 1 : 0; }

MLP_API int mlp_tensor_set_requires_grad(tensor_t t, int requires_grad) {
  MLP_RETURN_STATUS(t->set_requires_grad(requires_grad != 0));
}

MLP_API int mlp_tensor_is_leaf(tensor_t t) { return t->is_leaf() ? 1 : 0; }

MLP_API int mlp_backward(tensor_t t, tensor_t gradient, int retain_graph) {
  MLP_TRY
  at::Tensor grad = gradient == nullptr ? at::Tensor() : *gradient;
  t->backward(grad, retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt);
  return 0;
  MLP_CATCH(-1)
}

// Writes the accumulated gradient, or nullptr when there is none yet.
MLP_API int mlp_tensor_grad(tensor_t t, tensor_t* gradient) {
  MLP_TRY
  const auto& g = t->grad();
  *gradient = g.defined() ? mlp::wrap(g) : nullptr;
  return 0;
  MLP_CATCH(-1)
}

MLP_API int mlp_tensor_clear_grad(tensor_t t) {
  MLP_RETURN_STATUS(t->mutable_grad() = at::Tensor());
}

MLP_API int mlp_is_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }

// Grad mode is thread-local in libtorch, as the no-grad scope on the managed side assumes.
MLP_API void mlp_set_grad_enabled(int enabled) { at::GradMode::set_enabled(enabled != 0); }

// Scales the gradients so that their joint norm is at most max_norm, as PyTorch's
// clip_grad_norm_ does; writes the norm before clipping. norm_type = +inf uses the largest
// absolute value.
MLP_API int mlp_clip_grad_norm(const tensor_t* params, int count, double max_norm, double norm_type,
                               double* total_norm) {
  MLP_TRY
  std::vector<at::Tensor> grads;
  for (int i = 0; i < count; ++i)
    if (params[i]->grad().defined()) grads.push_back(params[i]->grad());
  if (grads.empty()) {
    *total_norm = 0.0;
    return 0;
  }
  std::vector<at::Tensor> norms;
  norms.reserve(grads.size());
  bool infinity = std::isinf(norm_type);
  for (auto& g : grads) norms.push_back(infinity ? g.detach().abs().max() : g.detach().norm(norm_type));
  auto stacked = at::stack(norms);
  double total = (infinity ? stacked.max() : stacked.norm(norm_type)).item<double>();
  double coefficient = max_norm / (total + 1e-6);
  if (coefficient < 1.0)
    for (auto& g : grads) g.mul_(coefficient);
  *total_norm = total;
  return 0;
  MLP_CATCH(-1)
}
