// AdamW that updates each parameter in one pass over its memory.
#pragma once

#include "shim.h"

#include <unordered_map>

namespace mlp {

// The update rule of torch::optim::AdamW (decoupled weight decay, bias-corrected moments,
// optional AMSGrad), but where libtorch's implementation makes about nine passes over each
// parameter and allocates temporaries, this one reads and writes each element once for
// contiguous CPU float32/float64 parameters. Other parameters (CUDA, non-contiguous) take
// the same rule through ATen operations. Parameter groups and their options are libtorch's,
// so learning rates are changed the same way as for any libtorch optimizer.
class FusedAdamW : public torch::optim::Optimizer {
 public:
  FusedAdamW(std::vector<torch::optim::OptimizerParamGroup> groups, torch::optim::AdamWOptions defaults);

  at::Tensor step(LossClosure closure = nullptr) override;

 private:
  struct State {
    int64_t step = 0;
    at::Tensor exp_avg;
    at::Tensor exp_avg_sq;
    at::Tensor max_exp_avg_sq;  // AMSGrad only
  };

  // Keyed by the parameter's TensorImpl, which stays the same when its data is replaced.
  std::unordered_map<const c10::TensorImpl*, State> states_;
};

}  // namespace mlp
