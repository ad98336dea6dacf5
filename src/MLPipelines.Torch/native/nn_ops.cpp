// Functional forms of the layers and losses; the modules (Linear, LayerNorm, ...) are
// written in C# and call these.
#include "shim.h"

MLP_API tensor_t mlp_softmax(tensor_t x, int64_t dim) { MLP_RETURN_TENSOR(at::softmax(*x, dim)); }

MLP_API tensor_t mlp_log_softmax(tensor_t x, int64_t dim) {
  MLP_RETURN_TENSOR(at::log_softmax(*x, dim));
}

MLP_API tensor_t mlp_linear(tensor_t x, tensor_t weight, tensor_t bias) {
  MLP_RETURN_TENSOR(at::linear(*x, *weight, mlp::optional(bias)));
}

MLP_API tensor_t mlp_layer_norm(tensor_t x, const int64_t* normalized_shape, int ndim, tensor_t weight,
                                tensor_t bias, double eps) {
  MLP_RETURN_TENSOR(at::layer_norm(*x, mlp::dims(normalized_shape, ndim), mlp::optional(weight),
                                   mlp::optional(bias), eps));
}

// In training mode, updates running_mean / running_var in place (when given).
MLP_API tensor_t mlp_batch_norm(tensor_t x, tensor_t weight, tensor_t bias, tensor_t running_mean,
                                tensor_t running_var, int training, double momentum, double eps) {
  MLP_RETURN_TENSOR(at::batch_norm(*x, mlp::optional(weight), mlp::optional(bias),
                                   mlp::optional(running_mean), mlp::optional(running_var),
                                   training != 0, momentum, eps, /*cudnn_enabled=*/true));
}

MLP_API tensor_t mlp_embedding(tensor_t weight, tensor_t indices) {
  MLP_RETURN_TENSOR(at::embedding(*weight, *indices));
}

// ---- losses; reduction: 0 = none, 1 = mean, 2 = sum (at::Reduction) --------------------

MLP_API tensor_t mlp_mse_loss(tensor_t input, tensor_t target, int reduction) {
  MLP_RETURN_TENSOR(at::mse_loss(*input, *target, reduction));
}

MLP_API tensor_t mlp_l1_loss(tensor_t input, tensor_t target, int reduction) {
  MLP_RETURN_TENSOR(at::l1_loss(*input, *target, reduction));
}

// target: int64 class indices, or float class probabilities of the input's shape.
MLP_API tensor_t mlp_cross_entropy(tensor_t input, tensor_t target, tensor_t weight, int reduction,
                                   double label_smoothing) {
  MLP_RETURN_TENSOR(at::cross_entropy_loss(*input, *target, mlp::optional(weight), reduction,
                                           /*ignore_index=*/-100, label_smoothing));
}

MLP_API tensor_t mlp_nll_loss(tensor_t input, tensor_t target, tensor_t weight, int reduction) {
  MLP_RETURN_TENSOR(at::nll_loss(*input, *target, mlp::optional(weight), reduction));
}

MLP_API tensor_t mlp_bce_with_logits(tensor_t input, tensor_t target, tensor_t weight,
                                     tensor_t pos_weight, int reduction) {
  MLP_RETURN_TENSOR(at::binary_cross_entropy_with_logits(*input, *target, mlp::optional(weight),
                                                         mlp::optional(pos_weight), reduction));
}
