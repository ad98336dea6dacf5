// Optimizers with parameter groups: SGD is libtorch's own; AdamW is mlp::FusedAdamW, the same
// rule in one pass over each parameter (see fused_adamw.h).
#include "fused_adamw.h"
#include "shim.h"

// Parameters arrive flattened: the first group_sizes[0] belong to group 0, and so on.

typedef torch::optim::Optimizer* optimizer_t;

template <typename Options>
static std::vector<torch::optim::OptimizerParamGroup> groups(const tensor_t* params,
                                                             const int* group_sizes, int group_count,
                                                             const Options& base, const double* lrs,
                                                             const double* weight_decays) {
  std::vector<torch::optim::OptimizerParamGroup> result;
  int offset = 0;
  for (int g = 0; g < group_count; ++g) {
    auto options = std::make_unique<Options>(base);
    options->lr(lrs[g]);
    options->weight_decay(weight_decays[g]);
    result.emplace_back(mlp::tensors(params + offset, group_sizes[g]), std::move(options));
    offset += group_sizes[g];
  }
  return result;
}

MLP_API optimizer_t mlp_adamw_new(const tensor_t* params, const int* group_sizes, int group_count,
                                  const double* lrs, const double* weight_decays, double beta1,
                                  double beta2, double eps, int amsgrad) {
  MLP_TRY
  auto base = torch::optim::AdamWOptions(lrs[0]).betas({beta1, beta2}).eps(eps).amsgrad(amsgrad != 0);
  return new mlp::FusedAdamW(groups(params, group_sizes, group_count, base, lrs, weight_decays), base);
  MLP_CATCH(nullptr)
}

MLP_API optimizer_t mlp_sgd_new(const tensor_t* params, const int* group_sizes, int group_count,
                                const double* lrs, const double* weight_decays, double momentum,
                                double dampening, int nesterov) {
  MLP_TRY
  auto base = torch::optim::SGDOptions(lrs[0]).momentum(momentum).dampening(dampening).nesterov(nesterov != 0);
  return new torch::optim::SGD(groups(params, group_sizes, group_count, base, lrs, weight_decays), base);
  MLP_CATCH(nullptr)
}

MLP_API int mlp_optimizer_step(optimizer_t optimizer) { MLP_RETURN_STATUS(optimizer->step()); }

MLP_API int mlp_optimizer_zero_grad(optimizer_t optimizer) {
  MLP_TRY
  // Gradients are released (set to none), as PyTorch 2.x does by default: less memory and
  // no zero-fill on every step.
  for (auto& group : optimizer->param_groups())
    for (auto& p : group.params()) p.mutable_grad() = at::Tensor();
  return 0;
  MLP_CATCH(-1)
}

MLP_API int mlp_optimizer_set_lr(optimizer_t optimizer, int group, double lr) {
  MLP_RETURN_STATUS(optimizer->param_groups().at(group).options().set_lr(lr));
}

// Weight decay is an option of AdamW and SGD only (libtorch's base options have no setter for it).
MLP_API int mlp_optimizer_set_weight_decay(optimizer_t optimizer, int group, double weight_decay) {
  MLP_TRY
  auto& options = optimizer->param_groups().at(group).options();
  if (auto* adamw = dynamic_cast<torch::optim::AdamWOptions*>(&options)) adamw->weight_decay(weight_decay);
  else if (auto* sgd = dynamic_cast<torch::optim::SGDOptions*>(&options)) sgd->weight_decay(weight_decay);
  else TORCH_CHECK(false, "this optimizer has no weight decay to set");
  return 0;
  MLP_CATCH(-1)
}

MLP_API void mlp_optimizer_free(optimizer_t optimizer) { delete optimizer; }
