// f32 general matrix multiply: C = alpha * op(A) * op(B) + beta * C, row-major.
// op(A) is m x k, op(B) is k x n, C is m x n. Pure C++: no N-API in here.
#pragma once
#include <cstddef>

namespace kiln::gemm {

struct SgemmArgs {
  bool trans_a = false;  // A is stored k x m and used transposed
  bool trans_b = false;  // B is stored n x k and used transposed
  std::size_t m = 0, n = 0, k = 0;
  float alpha = 1.0f;
  const float* a = nullptr;
  std::size_t lda = 0;  // row stride of A as stored
  const float* b = nullptr;
  std::size_t ldb = 0;
  float beta = 0.0f;  // beta == 0 overwrites C (NaN in C does not propagate)
  float* c = nullptr;
  std::size_t ldc = 0;
};

// Multithreaded on the runtime pool; the micro-kernel is chosen from the CPU's
// features (AVX-512, AVX2+FMA, or portable C++).
void sgemm(const SgemmArgs& args);

// The same on the calling thread only (for callers that parallelise at a coarser
// level, like the MLP loop's data-parallel batch halves).
void sgemm_serial(const SgemmArgs& args);

// The micro-kernel sgemm uses on this CPU, e.g. "avx512 12x32".
const char* sgemm_kernel_name();

}  // namespace kiln::gemm
