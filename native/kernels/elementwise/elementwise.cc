// Loops written for the auto-vectoriser: each hot function is cloned for AVX-512,
// AVX2 and baseline x86-64 (the loader picks one). exp-based activations live in
// activations.cc, which needs other compiler flags.
#include "elementwise.h"

#include <algorithm>

#include "../../runtime/thread_pool.h"
#include "activations.h"

namespace kiln::elementwise {

namespace {

// One output row; a_scalar / b_scalar mean that side is a single broadcast column.
template <typename F>
inline void apply_row(F f, const float* a, bool a_scalar, const float* b, bool b_scalar, float* out, std::size_t n) {
  if (a_scalar && !b_scalar) {
    const float av = a[0];
#pragma omp simd
    for (std::size_t j = 0; j < n; ++j) out[j] = f(av, b[j]);
  } else if (b_scalar && !a_scalar) {
    const float bv = b[0];
#pragma omp simd
    for (std::size_t j = 0; j < n; ++j) out[j] = f(a[j], bv);
  } else {  // both full rows, or both single columns (then n == 1)
#pragma omp simd
    for (std::size_t j = 0; j < n; ++j) out[j] = f(a[j], b[j]);
  }
}

KILN_CLONES void binary_row(BinaryOp op, const float* a, bool a_scalar, const float* b, bool b_scalar, float* out,
                            std::size_t n) {
  switch (op) {
    case BinaryOp::Add: apply_row([](float x, float y) { return x + y; }, a, a_scalar, b, b_scalar, out, n); break;
    case BinaryOp::Sub: apply_row([](float x, float y) { return x - y; }, a, a_scalar, b, b_scalar, out, n); break;
    case BinaryOp::Mul: apply_row([](float x, float y) { return x * y; }, a, a_scalar, b, b_scalar, out, n); break;
    case BinaryOp::Div: apply_row([](float x, float y) { return x / y; }, a, a_scalar, b, b_scalar, out, n); break;
  }
}

KILN_CLONES void unary_range(UnaryOp op, const float* x, float* out, std::size_t n, float p0, float p1) {
  switch (op) {
    case UnaryOp::Scale:
#pragma omp simd
      for (std::size_t i = 0; i < n; ++i) out[i] = x[i] * p0;
      break;
    case UnaryOp::Clamp:
      // NaN stays NaN (std::min/max would turn it into a bound).
#pragma omp simd
      for (std::size_t i = 0; i < n; ++i) out[i] = x[i] < p0 ? p0 : (x[i] > p1 ? p1 : x[i]);
      break;
    case UnaryOp::Relu:
#pragma omp simd
      for (std::size_t i = 0; i < n; ++i) out[i] = x[i] < 0.0f ? 0.0f : x[i];
      break;
    case UnaryOp::Sigmoid:
    case UnaryOp::Tanh: activation(op, x, out, n); break;
  }
}

}  // namespace

void binary(BinaryOp op, const float* a, Shape as, const float* b, Shape bs, float* out) {
  const std::size_t rows = std::max(as.rows, bs.rows), cols = std::max(as.cols, bs.cols);
  const bool a_scalar = as.cols == 1 && cols > 1, b_scalar = bs.cols == 1 && cols > 1;
  const std::size_t grain = std::max<std::size_t>(1, kGrain / std::max<std::size_t>(cols, 1));
  runtime::parallel_for(rows, grain, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) {
      const float* ar = a + (as.rows == 1 ? 0 : r * as.cols);
      const float* br = b + (bs.rows == 1 ? 0 : r * bs.cols);
      binary_row(op, ar, a_scalar, br, b_scalar, out + r * cols, cols);
    }
  });
}

// Fixed blocks (parallel_blocks): sigmoid and tanh take glibc's vector functions in a loop's body
// and the scalar ones in its remainder, which can differ in the last bit (tested).
void unary(UnaryOp op, const float* x, std::size_t n, float p0, float p1, float* out) {
  runtime::parallel_blocks(n, kGrain, [&](std::size_t, std::size_t i0, std::size_t i1) {
    unary_range(op, x + i0, out + i0, i1 - i0, p0, p1);
  });
}

void argmax_rows(const float* x, std::size_t rows, std::size_t cols, int32_t* out) {
  const std::size_t grain = std::max<std::size_t>(1, kGrain / std::max<std::size_t>(cols, 1));
  runtime::parallel_for(rows, grain, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) {
      const float* row = x + r * cols;
      std::size_t best = 0;
      float best_v = row[0];
      for (std::size_t j = 1; j < cols; ++j) {
        // best_v != best_v: the current best is NaN, so any number replaces it
        if (row[j] > best_v || (best_v != best_v && row[j] == row[j])) {
          best_v = row[j];
          best = j;
        }
      }
      out[r] = static_cast<int32_t>(best);
    }
  });
}

}  // namespace kiln::elementwise
