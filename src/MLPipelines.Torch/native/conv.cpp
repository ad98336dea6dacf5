// Convolution and pooling over [N, C, H, W] images. Every size argument is a (height, width)
// pair, as PyTorch's nn.Conv2d / nn.MaxPool2d take them.
#include "shim.h"

namespace {
at::IntArrayRef pair(const int64_t* values) { return at::IntArrayRef(values, 2); }
}  // namespace

MLP_API tensor_t mlp_conv2d(tensor_t x, tensor_t weight, tensor_t bias, const int64_t* stride,
                            const int64_t* padding, const int64_t* dilation, int64_t groups) {
  MLP_RETURN_TENSOR(at::conv2d(*x, *weight, mlp::optional(bias), pair(stride), pair(padding),
                               pair(dilation), groups));
}

MLP_API tensor_t mlp_max_pool2d(tensor_t x, const int64_t* kernel, const int64_t* stride,
                                const int64_t* padding, const int64_t* dilation, int ceil_mode) {
  MLP_RETURN_TENSOR(at::max_pool2d(*x, pair(kernel), pair(stride), pair(padding), pair(dilation),
                                   ceil_mode != 0));
}

MLP_API tensor_t mlp_avg_pool2d(tensor_t x, const int64_t* kernel, const int64_t* stride,
                                const int64_t* padding, int ceil_mode, int count_include_pad) {
  MLP_RETURN_TENSOR(at::avg_pool2d(*x, pair(kernel), pair(stride), pair(padding), ceil_mode != 0,
                                   count_include_pad != 0));
}

MLP_API tensor_t mlp_adaptive_avg_pool2d(tensor_t x, const int64_t* output_size) {
  MLP_RETURN_TENSOR(at::adaptive_avg_pool2d(*x, pair(output_size)));
}

// The same values laid out channels-last (NHWC strides, shape unchanged): the layout in which
// libtorch's CPU convolutions may run faster; results are identical either way.
MLP_API tensor_t mlp_to_channels_last(tensor_t x) {
  MLP_RETURN_TENSOR(x->contiguous(at::MemoryFormat::ChannelsLast));
}

MLP_API int mlp_is_channels_last(tensor_t x) {
  MLP_TRY return x->is_contiguous(at::MemoryFormat::ChannelsLast) ? 1 : 0; MLP_CATCH(-1)
}

// Bilinear resizing to (height, width); align_corners = 0 is PyTorch's default and ONNX Resize's half_pixel.
MLP_API tensor_t mlp_upsample_bilinear2d(tensor_t x, const int64_t* output_size, int align_corners) {
  MLP_RETURN_TENSOR(at::upsample_bilinear2d(*x, pair(output_size), align_corners != 0));
}

// Reverses the order of the entries along each of `dims`.
MLP_API tensor_t mlp_flip(tensor_t x, const int64_t* dims, int count) {
  MLP_RETURN_TENSOR(at::flip(*x, mlp::dims(dims, count)));
}

// Pads with `value`: pads holds (before, after) pairs from the last dimension backwards, as torch.nn.functional.pad.
MLP_API tensor_t mlp_constant_pad(tensor_t x, const int64_t* pads, int count, double value) {
  MLP_RETURN_TENSOR(at::constant_pad_nd(*x, mlp::dims(pads, count), value));
}
