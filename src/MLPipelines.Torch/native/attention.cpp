// Multi-head attention for prediction, in one kernel.
//
// Why: with a table's few tokens (FT-Transformer: one per feature and [CLS]) each head's
// products are tiny — [T, d/h] · [d/h, T] — and libtorch 1.13's CPU bmm, without MKL, loops
// over the batch calling a BLAS GEMM (and `select`) for each of the B·h slices: on diamonds'
// 10 tokens that loop took a third of a forward pass, more than the large matrix products.
// Here each row is one loop over its queries and keys, all heads at once, read straight
// from the projections' [B, T, h·d/h] layout and written in the output projection's, so the
// head split's transposes and copies go too. Prediction only (no gradient): training keeps
// libtorch's ops and their backward passes.
#include "shim.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <limits>

namespace {

// out[b, i, h] = Σ_j softmax_j(q[b, i, h] · k[b, j, h] · scale) · v[b, j, h], each a [head] slice, for the rows b in
// [begin, end). All heads of a query and key at once: their products are one contiguous run of d floats, summed per head's
// slice; the values are weighted the same way. buffer: room for d + heads·tk + d floats.
__attribute__((target_clones("avx2", "default")))
void attend(const float* __restrict q, const float* __restrict k, const float* __restrict v, float* __restrict out,
            int64_t begin, int64_t end, int64_t heads, int64_t tq, int64_t tk, int64_t head, float scale, float* __restrict buffer) {
  const int64_t width = heads * head;
  float* __restrict product = buffer;              // [d]
  float* __restrict scores = buffer + width;       // [heads, tk]
  float* __restrict weights = scores + heads * tk;  // [d]: each head's weight of one key, over its slice
  for (int64_t b = begin; b < end; ++b) {
    const float* keys = k + b * tk * width;
    const float* values = v + b * tk * width;
    for (int64_t i = 0; i < tq; ++i) {
      const float* query = q + (b * tq + i) * width;
      float* result = out + (b * tq + i) * width;
      for (int64_t j = 0; j < tk; ++j) {
        const float* key = keys + j * width;
#pragma omp simd
        for (int64_t c = 0; c < width; ++c) product[c] = query[c] * key[c];
        for (int64_t h = 0; h < heads; ++h) {
          float dot = 0;
#pragma omp simd reduction(+ : dot)
          for (int64_t c = 0; c < head; ++c) dot += product[h * head + c];
          scores[h * tk + j] = dot * scale;
        }
      }
      for (int64_t h = 0; h < heads; ++h) {
        float* row = scores + h * tk;
        float max = -std::numeric_limits<float>::infinity();
        for (int64_t j = 0; j < tk; ++j) max = std::max(max, row[j]);
        float sum = 0;
        for (int64_t j = 0; j < tk; ++j) {
          row[j] = std::exp(row[j] - max);
          sum += row[j];
        }
        const float normalizer = 1 / sum;
        for (int64_t j = 0; j < tk; ++j) row[j] *= normalizer;
      }
#pragma omp simd
      for (int64_t c = 0; c < width; ++c) result[c] = 0;
      for (int64_t j = 0; j < tk; ++j) {
        for (int64_t h = 0; h < heads; ++h)
          for (int64_t c = 0; c < head; ++c) weights[h * head + c] = scores[h * tk + j];
        const float* value = values + j * width;
#pragma omp simd
        for (int64_t c = 0; c < width; ++c) result[c] += weights[c] * value[c];
      }
    }
  }
}

// The same in libtorch's ops: for what the kernel does not take (other dtypes, devices).
at::Tensor attention_ops(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, int64_t heads) {
  const auto b = q.size(0);
  const auto head = q.size(2) / heads;
  auto split = [&](const at::Tensor& x) { return x.reshape({b, x.size(1), heads, head}).transpose(1, 2); };
  const auto scores = at::matmul(split(q), split(k).transpose(-2, -1)) * (1 / std::sqrt(static_cast<double>(head)));
  return at::matmul(at::softmax(scores, -1), split(v)).transpose(1, 2).reshape({b, q.size(1), q.size(2)});
}

}  // namespace

// q [B, Tq, d], k and v [B, Tk, d] (the projections, heads side by side along d) → [B, Tq, d]:
// softmax(q·kᵀ / √(d/h))·v per head, no dropout. For prediction: refused with gradients on.
MLP_API tensor_t mlp_attention_inference(tensor_t q, tensor_t k, tensor_t v, int64_t heads) {
  MLP_TRY
  TORCH_CHECK(!at::GradMode::is_enabled(), "attention_inference is for prediction: gradients must be off");
  TORCH_CHECK(q->dim() == 3 && k->dim() == 3 && v->sizes() == k->sizes() && q->size(0) == k->size(0) && q->size(2) == k->size(2),
              "attention_inference takes q [B, Tq, d] and k, v [B, Tk, d]");
  TORCH_CHECK(heads > 0 && q->size(2) % heads == 0, "the token size must be divisible by the heads");
  const bool kernel = q->device().is_cpu() && k->device().is_cpu() && v->device().is_cpu() &&
                      q->scalar_type() == at::kFloat && k->scalar_type() == at::kFloat && v->scalar_type() == at::kFloat;
  if (!kernel) return mlp::wrap(attention_ops(*q, *k, *v, heads));
  const auto query = q->contiguous(), key = k->contiguous(), value = v->contiguous();
  auto out = at::empty(query.sizes(), query.options());
  const int64_t batch = query.size(0), tq = query.size(1), tk = key.size(1), head = query.size(2) / heads;
  const float scale = static_cast<float>(1 / std::sqrt(static_cast<double>(head)));
  // On libtorch's threads (predicting with OpenBLAS holding the cores, one): about 32 K multiply-adds a task.
  const int64_t width = query.size(2);
  const int64_t grain = std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(1, 2 * tq * tk * width));
  const float *qp = query.data_ptr<float>(), *kp = key.data_ptr<float>(), *vp = value.data_ptr<float>();
  float* op = out.data_ptr<float>();
  at::parallel_for(0, batch, grain, [&](int64_t begin, int64_t end) {
    std::vector<float> buffer(2 * width + heads * tk);
    attend(qp, kp, vp, op, begin, end, heads, tq, tk, head, scale, buffer.data());
  });
  return mlp::wrap(std::move(out));
  MLP_CATCH(nullptr)
}
