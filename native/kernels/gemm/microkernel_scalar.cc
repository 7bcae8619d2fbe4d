// Portable micro-kernel, 4 x 8, for CPUs without AVX2/FMA (the compiler may still
// vectorise it with the baseline ISA).
#include "microkernels.h"

namespace kiln::gemm {

void microkernel_scalar(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, float alpha,
                        float beta, std::size_t mr, std::size_t nr) {
  constexpr std::size_t MR = kMrScalar, NR = kNrScalar;
  float acc[MR][NR] = {};
  for (std::size_t p = 0; p < kc; ++p) {
    for (std::size_t i = 0; i < MR; ++i)
      for (std::size_t j = 0; j < NR; ++j) acc[i][j] += a[i] * b[j];
    a += MR;
    b += NR;
  }
  for (std::size_t i = 0; i < mr; ++i) {
    float* row = c + i * ldc;
    for (std::size_t j = 0; j < nr; ++j) row[j] = alpha * acc[i][j] + (beta != 0.0f ? beta * row[j] : 0.0f);
  }
}

}  // namespace kiln::gemm
