// Register-blocked DGEMM micro-kernels: one MR x NR tile of C from packed panels,
//   C[0:mr, 0:nr] = alpha * sum_p A[p][0:MR] (x) B[p][0:NR] + beta * C   (beta == 0: C not read).
// A holds kc groups of MR values, B kc groups of NR values, both zero-padded. Each ISA variant
// lives in its own file compiled with that ISA's flags (as the sgemm's micro-kernels).
#pragma once
#include <cstddef>

namespace kiln::linalg {

using DgemmKernel = void (*)(std::size_t kc, const double* a, const double* b, double* c, std::size_t ldc, double alpha,
                             double beta, std::size_t mr, std::size_t nr);

constexpr std::size_t kDMrAvx512 = 8, kDNrAvx512 = 16;
constexpr std::size_t kDMrAvx2 = 6, kDNrAvx2 = 8;
constexpr std::size_t kDMrScalar = 4, kDNrScalar = 4;

void dgemm_kernel_avx512(std::size_t kc, const double* a, const double* b, double* c, std::size_t ldc, double alpha,
                         double beta, std::size_t mr, std::size_t nr);
void dgemm_kernel_avx2(std::size_t kc, const double* a, const double* b, double* c, std::size_t ldc, double alpha,
                       double beta, std::size_t mr, std::size_t nr);

}  // namespace kiln::linalg
