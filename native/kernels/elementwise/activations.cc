#include "activations.h"

#include <algorithm>
#include <cmath>

#include "../../runtime/thread_pool.h"

namespace kiln::elementwise {

namespace {

KILN_CLONES void sigmoid_range(const float* x, float* out, std::size_t n) {
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) out[i] = 1.0f / (1.0f + std::exp(-x[i]));
}

KILN_CLONES void tanh_range(const float* x, float* out, std::size_t n) {
#pragma omp simd
  for (std::size_t i = 0; i < n; ++i) out[i] = std::tanh(x[i]);
}

KILN_CLONES void softmax_row(const float* x, float* out, std::size_t n) {
  float mx = x[0];
#pragma omp simd reduction(max : mx)
  for (std::size_t j = 0; j < n; ++j) mx = std::max(mx, x[j]);
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (std::size_t j = 0; j < n; ++j) {
    out[j] = std::exp(x[j] - mx);
    sum += out[j];
  }
  const float inv = 1.0f / sum;
#pragma omp simd
  for (std::size_t j = 0; j < n; ++j) out[j] *= inv;
}

}  // namespace

void activation(UnaryOp op, const float* x, float* out, std::size_t n) {
  if (op == UnaryOp::Sigmoid) sigmoid_range(x, out, n);
  else tanh_range(x, out, n);
}

void softmax_rows(const float* x, std::size_t rows, std::size_t cols, float* out) {
  const std::size_t grain = std::max<std::size_t>(1, kGrain / std::max<std::size_t>(cols, 1));
  runtime::parallel_for(rows, grain, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) softmax_row(x + r * cols, out + r * cols, cols);
  });
}

}  // namespace kiln::elementwise
