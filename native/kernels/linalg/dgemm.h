// f64 general matrix multiply: C = alpha * op(A) * op(B) + beta * C, row-major, C in f64.
// op(A) is m x k, op(B) is k x n. A and B are each read as f64 or f32 (f32 values are
// widened while packing, so f32 data is multiplied and summed in f64 without a copy).
// Pure C++: no N-API in here.
#pragma once
#include <cstddef>

namespace kiln::linalg {

struct DgemmArgs {
  bool trans_a = false;  // A is stored k x m and used transposed
  bool trans_b = false;  // B is stored n x k and used transposed
  std::size_t m = 0, n = 0, k = 0;
  double alpha = 1.0;
  const double* a = nullptr;  // exactly one of a / a32 is set
  const float* a32 = nullptr;
  std::size_t lda = 0;        // row stride of A as stored
  const double* b = nullptr;  // exactly one of b / b32 is set
  const float* b32 = nullptr;
  std::size_t ldb = 0;
  double beta = 0.0;  // beta == 0 overwrites C (NaN in C does not propagate)
  double* c = nullptr;
  std::size_t ldc = 0;
};

// Packed, cache-blocked, multithreaded on the runtime pool; the micro-kernel is chosen from
// the CPU's features (AVX-512, AVX2+FMA, or portable C++). A product with a small C and a long
// k (a weighted Gram matrix) is also split along k into a number of slices fixed by the shape
// alone, so results never depend on the thread count. A Gram matrix AᵀA of one array (beta 0)
// computes the upper triangle's tiles only and mirrors them.
void dgemm(const DgemmArgs& args);

// The micro-kernel dgemm uses on this CPU, e.g. "avx512 8x16".
const char* dgemm_kernel_name();

}  // namespace kiln::linalg
