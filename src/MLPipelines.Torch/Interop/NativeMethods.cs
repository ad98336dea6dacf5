using System.Runtime.InteropServices;

namespace MLPipelines.Torch.Interop;

/// <summary>
/// The shim's C ABI (native/*.cpp). Functions returning a tensor return IntPtr.Zero on
/// failure and functions returning a status return -1; either way the message is in
/// <see cref="mlp_last_error"/>. Callers go through <see cref="Native"/>, which turns those
/// failures into <see cref="TorchException"/>.
/// </summary>
internal static partial class NativeMethods
{
    private const string Library = "mlptorch";

    // Loading the shim loads libtorch, its OpenMP runtime and OpenBLAS, which read their settings then.
    static NativeMethods() => MLPipelines.Interop.NativeThreadWaiting.Configure();

    // ---- errors, lifetime ----
    [LibraryImport(Library)] internal static partial IntPtr mlp_last_error();
    [LibraryImport(Library)] internal static partial void mlp_tensor_free(IntPtr tensor);
    [LibraryImport(Library)] internal static partial long mlp_tensor_live_count();

    // ---- creation ----
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr mlp_tensor_from_data(void* data, long byteCount, long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr mlp_tensor_new(int kind, long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr mlp_tensor_full(long* shape, int ndim, double value, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial IntPtr mlp_tensor_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial IntPtr mlp_tensor_linspace(double start, double end, long steps, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr mlp_tensor_randint(long low, long high, long* shape, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial IntPtr mlp_tensor_randperm(long n, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial IntPtr mlp_tensor_eye(long n, int dtype, int deviceType, int deviceIndex);

    // ---- data out, metadata ----
    [LibraryImport(Library)] internal static unsafe partial int mlp_tensor_copy_to(TensorHandle t, void* destination, long byteCount);
    [LibraryImport(Library)] internal static partial int mlp_tensor_item_double(TensorHandle t, out double value);
    [LibraryImport(Library)] internal static partial int mlp_tensor_item_long(TensorHandle t, out long value);
    [LibraryImport(Library)] internal static partial int mlp_tensor_dim(TensorHandle t);
    [LibraryImport(Library)] internal static unsafe partial int mlp_tensor_sizes(TensorHandle t, long* sizes, int capacity);
    [LibraryImport(Library)] internal static partial long mlp_tensor_numel(TensorHandle t);
    [LibraryImport(Library)] internal static partial int mlp_tensor_dtype(TensorHandle t);
    [LibraryImport(Library)] internal static partial void mlp_tensor_device(TensorHandle t, out int type, out int index);
    [LibraryImport(Library)] internal static partial int mlp_tensor_is_contiguous(TensorHandle t);

    // ---- conversion, copies, in-place fills ----
    [LibraryImport(Library)] internal static partial IntPtr mlp_tensor_to(TensorHandle t, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Library)] internal static partial IntPtr mlp_tensor_clone(TensorHandle t);
    [LibraryImport(Library)] internal static partial IntPtr mlp_tensor_contiguous(TensorHandle t);
    [LibraryImport(Library)] internal static partial IntPtr mlp_tensor_detach(TensorHandle t);
    [LibraryImport(Library)] internal static partial IntPtr mlp_tensor_alias(TensorHandle t);
    [LibraryImport(Library)] internal static partial int mlp_tensor_set_data(TensorHandle t, TensorHandle data);
    [LibraryImport(Library)] internal static partial int mlp_tensor_copy_(TensorHandle destination, TensorHandle source);
    [LibraryImport(Library)] internal static partial int mlp_tensor_fill_(TensorHandle t, double value);
    [LibraryImport(Library)] internal static partial int mlp_tensor_uniform_(TensorHandle t, double low, double high);
    [LibraryImport(Library)] internal static partial int mlp_tensor_normal_(TensorHandle t, double mean, double std);

    // ---- elementwise ----
    [LibraryImport(Library)] internal static partial IntPtr mlp_unary(int op, TensorHandle x);
    [LibraryImport(Library)] internal static partial IntPtr mlp_binary(int op, TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr mlp_scalar(int op, TensorHandle a, double value);
    [LibraryImport(Library)] internal static partial int mlp_binary_(int op, TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial int mlp_scalar_(int op, TensorHandle a, double value);
    [LibraryImport(Library)] internal static partial IntPtr mlp_clamp(TensorHandle x, double min, int hasMin, double max, int hasMax);
    [LibraryImport(Library)] internal static partial IntPtr mlp_where(TensorHandle condition, TensorHandle a, TensorHandle b);
    [LibraryImport(Library)] internal static partial IntPtr mlp_masked_fill(TensorHandle x, TensorHandle mask, double value);
    [LibraryImport(Library)] internal static partial IntPtr mlp_leaky_relu(TensorHandle x, double negativeSlope);

    // ---- shape ----
    [LibraryImport(Library)] internal static unsafe partial IntPtr mlp_shape_op(int op, TensorHandle t, long* values, int count);
    [LibraryImport(Library)] internal static partial IntPtr mlp_transpose(TensorHandle t, long dim0, long dim1);
    [LibraryImport(Library)] internal static partial IntPtr mlp_squeeze(TensorHandle t, long dim);
    [LibraryImport(Library)] internal static partial IntPtr mlp_unsqueeze(TensorHandle t, long dim);
    [LibraryImport(Library)] internal static partial IntPtr mlp_flatten(TensorHandle t, long start, long end);
    [LibraryImport(Library)] internal static partial IntPtr mlp_narrow(TensorHandle t, long dim, long start, long length);
    [LibraryImport(Library)] internal static partial IntPtr mlp_select(TensorHandle t, long dim, long index);
    [LibraryImport(Library)] internal static partial IntPtr mlp_slice(TensorHandle t, long dim, long start, long end, long step);
    [LibraryImport(Library)] internal static partial IntPtr mlp_index_select(TensorHandle t, long dim, TensorHandle index);
    [LibraryImport(Library)] internal static partial IntPtr mlp_gather(TensorHandle t, long dim, TensorHandle index);
    [LibraryImport(Library)] internal static partial IntPtr mlp_index_mask(TensorHandle t, TensorHandle mask);
    [LibraryImport(Library)] internal static partial IntPtr mlp_nonzero(TensorHandle t);
    [LibraryImport(Library)] internal static unsafe partial IntPtr mlp_cat(IntPtr* tensors, int count, long dim);
    [LibraryImport(Library)] internal static unsafe partial IntPtr mlp_stack(IntPtr* tensors, int count, long dim);
    [LibraryImport(Library)] internal static unsafe partial int mlp_split(TensorHandle t, long size, long dim, IntPtr* pieces, int capacity);
    [LibraryImport(Library)] internal static partial IntPtr mlp_one_hot(TensorHandle t, long numClasses);
    [LibraryImport(Library)] internal static partial int mlp_sort(TensorHandle t, long dim, int descending, out IntPtr values, out IntPtr indices);

    // ---- reductions ----
    [LibraryImport(Library)] internal static unsafe partial IntPtr mlp_reduce(int op, TensorHandle t, long* dims, int count, int keepdim, int unbiased);
    [LibraryImport(Library)] internal static partial int mlp_extreme_dim(TensorHandle t, int isMax, long dim, int keepdim, out IntPtr values, out IntPtr indices);
    [LibraryImport(Library)] internal static partial IntPtr mlp_cumsum(TensorHandle t, long dim);

    // ---- neural-network functions and losses ----
    [LibraryImport(Library)] internal static partial IntPtr mlp_softmax(TensorHandle x, long dim);
    [LibraryImport(Library)] internal static partial IntPtr mlp_log_softmax(TensorHandle x, long dim);
    [LibraryImport(Library)] internal static partial IntPtr mlp_linear(TensorHandle x, TensorHandle weight, TensorHandle bias);
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr mlp_layer_norm(TensorHandle x, long* normalizedShape, int ndim, TensorHandle weight, TensorHandle bias, double eps);
    [LibraryImport(Library)]
    internal static partial IntPtr mlp_batch_norm(TensorHandle x, TensorHandle weight, TensorHandle bias, TensorHandle runningMean, TensorHandle runningVar, int training, double momentum, double eps);
    [LibraryImport(Library)] internal static partial IntPtr mlp_dropout(TensorHandle x, double p, int training);
    [LibraryImport(Library)] internal static partial IntPtr mlp_relu_dropout(TensorHandle x, double p, int training);
    [LibraryImport(Library)] internal static partial IntPtr mlp_embedding(TensorHandle weight, TensorHandle indices);
    [LibraryImport(Library)] internal static partial IntPtr mlp_attention(TensorHandle q, TensorHandle k, TensorHandle v, long heads, double p, int training);

    // ---- convolution and pooling over [N, C, H, W]; sizes are (height, width) pairs ----
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr mlp_conv2d(TensorHandle x, TensorHandle weight, TensorHandle bias, long* stride, long* padding, long* dilation, long groups);
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr mlp_max_pool2d(TensorHandle x, long* kernel, long* stride, long* padding, long* dilation, int ceilMode);
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr mlp_avg_pool2d(TensorHandle x, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad);
    [LibraryImport(Library)] internal static unsafe partial IntPtr mlp_adaptive_avg_pool2d(TensorHandle x, long* outputSize);
    [LibraryImport(Library)] internal static partial IntPtr mlp_to_channels_last(TensorHandle x);
    [LibraryImport(Library)] internal static unsafe partial IntPtr mlp_upsample_bilinear2d(TensorHandle x, long* outputSize, int alignCorners);
    [LibraryImport(Library)] internal static unsafe partial IntPtr mlp_flip(TensorHandle x, long* dims, int count);
    [LibraryImport(Library)] internal static unsafe partial IntPtr mlp_constant_pad(TensorHandle x, long* pads, int count, double value);
    [LibraryImport(Library)] internal static partial int mlp_is_channels_last(TensorHandle x);

    [LibraryImport(Library)] internal static partial IntPtr mlp_mse_loss(TensorHandle input, TensorHandle target, int reduction);
    [LibraryImport(Library)] internal static partial IntPtr mlp_l1_loss(TensorHandle input, TensorHandle target, int reduction);
    [LibraryImport(Library)] internal static partial IntPtr mlp_cross_entropy(TensorHandle input, TensorHandle target, TensorHandle weight, int reduction, double labelSmoothing);
    [LibraryImport(Library)] internal static partial IntPtr mlp_nll_loss(TensorHandle input, TensorHandle target, TensorHandle weight, int reduction);
    [LibraryImport(Library)] internal static partial IntPtr mlp_bce_with_logits(TensorHandle input, TensorHandle target, TensorHandle weight, TensorHandle posWeight, int reduction);

    // ---- autograd ----
    [LibraryImport(Library)] internal static partial int mlp_tensor_requires_grad(TensorHandle t);
    [LibraryImport(Library)] internal static partial int mlp_tensor_set_requires_grad(TensorHandle t, int requiresGrad);
    [LibraryImport(Library)] internal static partial int mlp_tensor_is_leaf(TensorHandle t);
    [LibraryImport(Library)] internal static partial int mlp_backward(TensorHandle t, TensorHandle gradient, int retainGraph);
    [LibraryImport(Library)] internal static partial int mlp_tensor_grad(TensorHandle t, out IntPtr gradient);
    [LibraryImport(Library)] internal static partial int mlp_tensor_clear_grad(TensorHandle t);
    [LibraryImport(Library)] internal static partial int mlp_is_grad_enabled();
    [LibraryImport(Library)] internal static partial void mlp_set_grad_enabled(int enabled);
    [LibraryImport(Library)] internal static unsafe partial int mlp_clip_grad_norm(IntPtr* parameters, int count, double maxNorm, double normType, out double totalNorm);

    // ---- optimizers ----
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr mlp_adamw_new(IntPtr* parameters, int* groupSizes, int groupCount, double* learningRates, double* weightDecays, double beta1, double beta2, double eps, int amsgrad);
    [LibraryImport(Library)]
    internal static unsafe partial IntPtr mlp_sgd_new(IntPtr* parameters, int* groupSizes, int groupCount, double* learningRates, double* weightDecays, double momentum, double dampening, int nesterov);
    [LibraryImport(Library)] internal static partial int mlp_optimizer_step(OptimizerHandle optimizer);
    [LibraryImport(Library)] internal static partial int mlp_optimizer_zero_grad(OptimizerHandle optimizer);
    [LibraryImport(Library)] internal static partial int mlp_optimizer_set_lr(OptimizerHandle optimizer, int group, double lr);
    [LibraryImport(Library)] internal static partial int mlp_optimizer_set_weight_decay(OptimizerHandle optimizer, int group, double weightDecay);
    [LibraryImport(Library)] internal static partial void mlp_optimizer_free(IntPtr optimizer);

    // ---- runtime ----
    [LibraryImport(Library)] internal static partial IntPtr mlp_torch_version();
    [LibraryImport(Library)] internal static partial void mlp_manual_seed(ulong seed);
    [LibraryImport(Library)] internal static partial int mlp_set_num_threads(int count);
    [LibraryImport(Library)] internal static partial int mlp_get_num_threads();
    [LibraryImport(Library)] internal static partial int mlp_blas_set_num_threads(int count);
    [LibraryImport(Library)] internal static partial int mlp_blas_get_num_threads();
    [LibraryImport(Library)] internal static partial int mlp_configure_allocator();
    [LibraryImport(Library)] internal static partial int mlp_set_flush_denormal(int on, int includeWorkers);
    [LibraryImport(Library)] internal static partial int mlp_get_flush_denormal();
    [LibraryImport(Library)] internal static partial int mlp_autocast_cpu_enter();
    [LibraryImport(Library)] internal static partial int mlp_autocast_cpu_exit(int previous);
    [LibraryImport(Library)] internal static partial int mlp_cpu_has_native_bf16();
    [LibraryImport(Library)] internal static partial int mlp_cuda_is_available();
    [LibraryImport(Library)] internal static partial int mlp_cuda_device_count();
}
