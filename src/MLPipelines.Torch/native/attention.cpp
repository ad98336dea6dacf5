// Multi-head attention in one kernel, for training (with its backward pass and the dropout on the
// attention weights) and for prediction.
//
// Why: with a table's few tokens (FT-Transformer: one per feature and [CLS]) each head's
// products are tiny — [T, d/h] · [d/h, T] — and libtorch 1.13's CPU bmm, without MKL, loops
// over the batch calling a BLAS GEMM (and `select`) for each of the B·h slices: on diamonds'
// 10 tokens that loop took a third of a forward pass, more than the large matrix products, and
// the backward pass runs four such loops. Here each row is one loop over its queries and keys,
// all heads at once, read straight from the projections' [B, T, h·d/h] layout and written in the
// output projection's, so the head split's transposes and copies go too. The dropout mask is
// dropout_mask.h's counter hash, recomputed in the backward pass.
#include "shim.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <cmath>
#include <limits>

#include "dropout_mask.h"

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

struct Dims {
  int64_t heads, tq, tk, head, width;
  float scale;  // 1/√(d/h)
};

// The dropout's factors of the attention weights [first, first + count) of [B, Tq, heads, Tk] (one query's, all heads):
// 1/(1 - p) where kept, 0 where dropped; 1 without dropout. Branch-free, so that it vectorizes.
inline void keep_factors(const mlp::DropoutMask* mask, int64_t first, int64_t count, float keep_scale, float* __restrict factors) {
  if (mask == nullptr) {
    std::fill(factors, factors + count, 1.0f);
    return;
  }
  const auto threshold = static_cast<uint32_t>(mask->threshold);
#pragma omp simd
  for (int64_t n = 0; n < count; ++n) factors[n] = mask->draw(first + n) >= threshold ? keep_scale : 0.0f;
}

// The kernels below take the head size as a template argument Head when it is one of the common ones (0: dims.head), so that
// the per-head loops over a slice compile to whole vectors without remainder loops.
#define MLP_INLINE __attribute__((always_inline)) inline

// sums[h · stride] = Σ_c a[h·head + c] · b[h·head + c] for every head h: the dot products of the heads' slices.
template <int64_t Head>
MLP_INLINE void head_dots(const float* __restrict a, const float* __restrict b, float* sums, int64_t stride, const Dims& dims) {
  const int64_t head = Head > 0 ? Head : dims.head;
  for (int64_t h = 0; h < dims.heads; ++h) {
    const float* __restrict as = a + h * head;
    const float* __restrict bs = b + h * head;
    float dot = 0;
#pragma omp simd reduction(+ : dot)
    for (int64_t c = 0; c < head; ++c) dot += as[c] * bs[c];
    sums[h * stride] = dot;
  }
}

// target[c] += weight[h · stride] · x[c] over each head h's slice c.
template <int64_t Head>
MLP_INLINE void add_per_head(float* __restrict target, const float* weight, int64_t stride, const float* __restrict x,
                             const Dims& dims) {
  const int64_t head = Head > 0 ? Head : dims.head;
  for (int64_t h = 0; h < dims.heads; ++h) {
    const float w = weight[h * stride];
    float* __restrict t = target + h * head;
    const float* __restrict xs = x + h * head;
#pragma omp simd
    for (int64_t c = 0; c < head; ++c) t[c] += w * xs[c];
  }
}

// Forward, rows [begin, end): out[b, i, h] = Σ_j a(b, i, h, j) · v[b, j, h], each a [head] slice, where a is
// softmax_j(q[b, i, h] · k[b, j, h] · scale) times the dropout's keep factor. probs [B, Tq, heads, Tk] receives the
// softmax weights before dropout when not null (training keeps them for the backward pass).
// buffer: room for 2·heads·Tk floats.
template <int64_t Head>
MLP_INLINE void attend_rows(const float* __restrict q, const float* __restrict k, const float* __restrict v, float* __restrict out,
                            float* __restrict probs, int64_t begin, int64_t end, const Dims& dims, const mlp::DropoutMask* mask,
                            float keep_scale, float* __restrict buffer) {
  const int64_t width = dims.width, heads = dims.heads, tq = dims.tq, tk = dims.tk;
  float* __restrict local = buffer;                   // [heads, Tk]: the softmax weights when probs is null
  float* __restrict dropped = buffer + heads * tk;    // [heads, Tk]: the same after dropout
  for (int64_t b = begin; b < end; ++b) {
    const float* keys = k + b * tk * width;
    const float* values = v + b * tk * width;
    for (int64_t i = 0; i < tq; ++i) {
      const int64_t row = b * tq + i;
      const float* query = q + row * width;
      float* result = out + row * width;
      float* weights = probs == nullptr ? local : probs + row * heads * tk;  // [heads, Tk]
      for (int64_t j = 0; j < tk; ++j) head_dots<Head>(query, keys + j * width, weights + j, tk, dims);
      for (int64_t h = 0; h < heads; ++h) {
        float* w = weights + h * tk;
        float max = -std::numeric_limits<float>::infinity();
        for (int64_t j = 0; j < tk; ++j) max = std::max(max, w[j] * dims.scale);
        float sum = 0;
        for (int64_t j = 0; j < tk; ++j) {
          w[j] = std::exp(w[j] * dims.scale - max);
          sum += w[j];
        }
        const float normalizer = 1 / sum;
        for (int64_t j = 0; j < tk; ++j) w[j] *= normalizer;
      }
      keep_factors(mask, row * heads * tk, heads * tk, keep_scale, dropped);
#pragma omp simd
      for (int64_t n = 0; n < heads * tk; ++n) dropped[n] *= weights[n];
#pragma omp simd
      for (int64_t c = 0; c < width; ++c) result[c] = 0;
      for (int64_t j = 0; j < tk; ++j) add_per_head<Head>(result, dropped + j, tk, values + j * width, dims);
    }
  }
}

// Backward, rows [begin, end), from the forward pass's softmax weights p and the output's gradient g; with
// a = p · keep factor: dv[j] = Σ_i a[i, j] · g[i]; da[i, j] = g[i] · v[j]; dp = da · keep factor;
// ds[i, j] = p[i, j] · (dp[i, j] − Σ_j' p[i, j'] · dp[i, j']) · scale; dq[i] = Σ_j ds[i, j] · k[j]; dk[j] = Σ_i ds[i, j] · q[i]
// (each per head's slice). buffer: room for 3·heads·Tk floats.
template <int64_t Head>
MLP_INLINE void attend_backward_rows(const float* __restrict grad, const float* __restrict q, const float* __restrict k,
                                     const float* __restrict v, const float* __restrict probs, float* __restrict dq,
                                     float* __restrict dk, float* __restrict dv, int64_t begin, int64_t end, const Dims& dims,
                                     const mlp::DropoutMask* mask, float keep_scale, float* __restrict buffer) {
  const int64_t width = dims.width, heads = dims.heads, tq = dims.tq, tk = dims.tk;
  float* __restrict ds = buffer;                   // [heads, Tk]
  float* __restrict kept = buffer + heads * tk;    // [heads, Tk]: the dropout's factors
  float* __restrict dropped = kept + heads * tk;   // [heads, Tk]: the weights after dropout
  for (int64_t b = begin; b < end; ++b) {
    const float* keys = k + b * tk * width;
    const float* values = v + b * tk * width;
    float* key_grads = dk + b * tk * width;
    float* value_grads = dv + b * tk * width;
    std::fill(key_grads, key_grads + tk * width, 0.0f);
    std::fill(value_grads, value_grads + tk * width, 0.0f);
    for (int64_t i = 0; i < tq; ++i) {
      const int64_t row = b * tq + i;
      const float* g = grad + row * width;
      const float* p = probs + row * heads * tk;  // [heads, Tk]
      keep_factors(mask, row * heads * tk, heads * tk, keep_scale, kept);
#pragma omp simd
      for (int64_t n = 0; n < heads * tk; ++n) dropped[n] = p[n] * kept[n];
      for (int64_t j = 0; j < tk; ++j) {
        add_per_head<Head>(value_grads + j * width, dropped + j, tk, g, dims);
        head_dots<Head>(g, values + j * width, ds + j, tk, dims);
      }
#pragma omp simd
      for (int64_t n = 0; n < heads * tk; ++n) ds[n] *= kept[n];
      for (int64_t h = 0; h < heads; ++h) {
        const float* ph = p + h * tk;
        float* dh = ds + h * tk;
        float dot = 0;
        for (int64_t j = 0; j < tk; ++j) dot += ph[j] * dh[j];
        for (int64_t j = 0; j < tk; ++j) dh[j] = ph[j] * (dh[j] - dot) * dims.scale;
      }
      const float* query = q + row * width;
      float* query_grad = dq + row * width;
#pragma omp simd
      for (int64_t c = 0; c < width; ++c) query_grad[c] = 0;
      for (int64_t j = 0; j < tk; ++j) {
        add_per_head<Head>(query_grad, ds + j, tk, keys + j * width, dims);
        add_per_head<Head>(key_grads + j * width, ds + j, tk, query, dims);
      }
    }
  }
}

// The kernels for rows [begin, end), for the head size at hand; cloned for AVX2 and chosen at load time.
#define MLP_FOR_HEAD_SIZE(call)             \
  switch (dims.head) {                      \
    case 8: call(8); break;                 \
    case 16: call(16); break;               \
    case 24: call(24); break;               \
    case 32: call(32); break;               \
    case 64: call(64); break;               \
    default: call(0); break;                \
  }

__attribute__((target_clones("avx2", "default")))
void attend(const float* __restrict q, const float* __restrict k, const float* __restrict v, float* __restrict out,
            float* __restrict probs, int64_t begin, int64_t end, const Dims dims, const mlp::DropoutMask* mask,
            float keep_scale, float* __restrict buffer) {
#define MLP_ATTEND(head) attend_rows<head>(q, k, v, out, probs, begin, end, dims, mask, keep_scale, buffer)
  MLP_FOR_HEAD_SIZE(MLP_ATTEND)
#undef MLP_ATTEND
}

__attribute__((target_clones("avx2", "default")))
void attend_backward(const float* __restrict grad, const float* __restrict q, const float* __restrict k,
                     const float* __restrict v, const float* __restrict probs, float* __restrict dq, float* __restrict dk,
                     float* __restrict dv, int64_t begin, int64_t end, const Dims dims, const mlp::DropoutMask* mask,
                     float keep_scale, float* __restrict buffer) {
#define MLP_ATTEND_BACKWARD(head) attend_backward_rows<head>(grad, q, k, v, probs, dq, dk, dv, begin, end, dims, mask, keep_scale, buffer)
  MLP_FOR_HEAD_SIZE(MLP_ATTEND_BACKWARD)
#undef MLP_ATTEND_BACKWARD
}

// About 32 K multiply-adds a task on libtorch's threads.
int64_t grain(const Dims& dims) { return std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(1, 2 * dims.tq * dims.tk * dims.width)); }

// Room for the larger of the two kernels' buffers.
size_t buffer_floats(const Dims& dims) { return static_cast<size_t>(3 * dims.heads * dims.tk); }

Dims dims_of(const at::Tensor& q, const at::Tensor& k, int64_t heads) {
  const int64_t head = q.size(2) / heads;
  return Dims{heads, q.size(1), k.size(1), head, q.size(2), static_cast<float>(1 / std::sqrt(static_cast<double>(head)))};
}

// Forward through the kernel: out [B, Tq, d]; probs [B, Tq, heads, Tk] when given.
at::Tensor attend_all(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const Dims& dims, at::Tensor* probs,
                      const mlp::DropoutMask* mask, float keep_scale) {
  auto out = at::empty(q.sizes(), q.options());
  const float *qp = q.data_ptr<float>(), *kp = k.data_ptr<float>(), *vp = v.data_ptr<float>();
  float* op = out.data_ptr<float>();
  float* pp = probs == nullptr ? nullptr : probs->data_ptr<float>();
  at::parallel_for(0, q.size(0), grain(dims), [&](int64_t begin, int64_t end) {
    std::vector<float> buffer(buffer_floats(dims));
    attend(qp, kp, vp, op, pp, begin, end, dims, mask, keep_scale, buffer.data());
  });
  return out;
}

// Attention with a gradient: the kernel both ways. q, k, v float32 on the CPU.
struct TrainingAttention : public torch::autograd::Function<TrainingAttention> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                            int64_t heads, double p) {
    const auto query = q.contiguous(), key = k.contiguous(), value = v.contiguous();
    const auto dims = dims_of(query, key, heads);
    auto probs = at::empty({query.size(0), dims.tq, heads, dims.tk}, query.options());
    const auto mask = p > 0 ? mlp::DropoutMask::drawn(p) : mlp::DropoutMask{0, 0};
    const float keep_scale = static_cast<float>(1.0 / (1.0 - p));
    auto out = attend_all(query, key, value, dims, &probs, p > 0 ? &mask : nullptr, keep_scale);
    ctx->save_for_backward({query, key, value});
    ctx->saved_data["probs"] = probs;
    ctx->saved_data["heads"] = heads;
    ctx->saved_data["p"] = p;
    ctx->saved_data["seed"] = static_cast<int64_t>(mask.seed);
    ctx->saved_data["threshold"] = static_cast<int64_t>(mask.threshold);
    return out;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list outputs) {
    const auto grad = outputs[0].contiguous();
    const auto saved = ctx->get_saved_variables();
    const auto &query = saved[0], &key = saved[1], &value = saved[2];
    const auto probs = ctx->saved_data["probs"].toTensor();
    const double p = ctx->saved_data["p"].toDouble();
    const mlp::DropoutMask mask{static_cast<uint64_t>(ctx->saved_data["seed"].toInt()),
                                static_cast<uint64_t>(ctx->saved_data["threshold"].toInt())};
    const float keep_scale = static_cast<float>(1.0 / (1.0 - p));
    const auto dims = dims_of(query, key, ctx->saved_data["heads"].toInt());
    auto dq = at::empty_like(query), dk = at::empty_like(key), dv = at::empty_like(value);
    const float *gp = grad.data_ptr<float>(), *qp = query.data_ptr<float>(), *kp = key.data_ptr<float>(),
                *vp = value.data_ptr<float>(), *pp = probs.data_ptr<float>();
    float *dqp = dq.data_ptr<float>(), *dkp = dk.data_ptr<float>(), *dvp = dv.data_ptr<float>();
    const auto* m = p > 0 ? &mask : nullptr;
    at::parallel_for(0, query.size(0), grain(dims), [&](int64_t begin, int64_t end) {
      std::vector<float> buffer(buffer_floats(dims));
      attend_backward(gp, qp, kp, vp, pp, dqp, dkp, dvp, begin, end, dims, m, keep_scale, buffer.data());
    });
    return {dq, dk, dv, at::Tensor(), at::Tensor()};
  }
};

// The same in libtorch's ops: for what the kernel does not take (other dtypes, devices).
at::Tensor attention_ops(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, int64_t heads, double p, bool training) {
  const auto b = q.size(0);
  const auto head = q.size(2) / heads;
  auto split = [&](const at::Tensor& x) { return x.reshape({b, x.size(1), heads, head}).transpose(1, 2); };
  const auto scores = at::matmul(split(q), split(k).transpose(-2, -1)) * (1 / std::sqrt(static_cast<double>(head)));
  const auto weights = at::dropout(at::softmax(scores, -1), p, training);
  return at::matmul(weights, split(v)).transpose(1, 2).reshape({b, q.size(1), q.size(2)});
}

bool on_cpu(const at::Tensor& x) { return x.device().is_cpu(); }

// Under bfloat16 autocast the projections are bfloat16: the kernel runs on them converted to float (a differentiable
// conversion; the output projection casts back), far cheaper than libtorch's batched-product loops.
at::Tensor as_float(const at::Tensor& x) { return x.scalar_type() == at::kBFloat16 && on_cpu(x) ? x.to(at::kFloat) : x; }

}  // namespace

// q [B, Tq, d], k and v [B, Tk, d] (the projections, heads side by side along d) → [B, Tq, d]: softmax(q·kᵀ / √(d/h))·v per
// head, with dropout p on the attention weights in training. The kernel takes float32 (and bfloat16, converted) on the CPU;
// anything else takes libtorch's ops.
MLP_API tensor_t mlp_attention(tensor_t q, tensor_t k, tensor_t v, int64_t heads, double p, int training) {
  MLP_TRY
  TORCH_CHECK(q->dim() == 3 && k->dim() == 3 && v->sizes() == k->sizes() && q->size(0) == k->size(0) && q->size(2) == k->size(2),
              "attention takes q [B, Tq, d] and k, v [B, Tk, d]");
  TORCH_CHECK(heads > 0 && q->size(2) % heads == 0, "the token size must be divisible by the heads");
  TORCH_CHECK(p >= 0 && p < 1, "an attention dropout probability is at least 0 and below 1");
  const double dropout = training != 0 ? p : 0.0;
  const bool gradient = at::GradMode::is_enabled() && (q->requires_grad() || k->requires_grad() || v->requires_grad());
  const bool cpu = on_cpu(*q) && on_cpu(*k) && on_cpu(*v);
  if (!gradient && dropout == 0) {
    // Predicting (or scoring validation rows): no weights to keep for a backward pass.
    const bool floats = q->scalar_type() == at::kFloat && k->scalar_type() == at::kFloat && v->scalar_type() == at::kFloat;
    if (!cpu || !floats) return mlp::wrap(attention_ops(*q, *k, *v, heads, 0.0, false));
    const auto query = q->contiguous(), key = k->contiguous(), value = v->contiguous();
    return mlp::wrap(attend_all(query, key, value, dims_of(query, key, heads), nullptr, nullptr, 1.0f));
  }
  const auto query = as_float(*q), key = as_float(*k), value = as_float(*v);
  const bool floats = query.scalar_type() == at::kFloat && key.scalar_type() == at::kFloat && value.scalar_type() == at::kFloat;
  if (!cpu || !floats) return mlp::wrap(attention_ops(*q, *k, *v, heads, dropout, training != 0));
  return mlp::wrap(TrainingAttention::apply(query, key, value, heads, dropout));
  MLP_CATCH(nullptr)
}
