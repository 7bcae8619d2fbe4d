// The straightforward kernel: threads over row blocks of C, an i-p-j loop the
// compiler vectorises. The packed, register-blocked kernel replaces it later.
#include "gemm.h"

#include <vector>

#include "../../runtime/thread_pool.h"

namespace kiln::gemm {

void sgemm(const SgemmArgs& g) {
  if (g.m == 0 || g.n == 0) return;
  // Row p of op(B) must be contiguous: transpose B once when it is stored n x k.
  std::vector<float> bt;
  const float* b = g.b;
  std::size_t ldb = g.ldb;
  if (g.trans_b && g.k > 0) {
    bt.resize(g.k * g.n);
    for (std::size_t j = 0; j < g.n; ++j)
      for (std::size_t p = 0; p < g.k; ++p) bt[p * g.n + j] = g.b[j * g.ldb + p];
    b = bt.data();
    ldb = g.n;
  }
  const std::size_t grain = std::max<std::size_t>(1, 16384 / std::max<std::size_t>(1, g.n * g.k / 64 + 1));
  runtime::parallel_for(g.m, grain, [&](std::size_t i0, std::size_t i1) {
    for (std::size_t i = i0; i < i1; ++i) {
      float* ci = g.c + i * g.ldc;
      if (g.beta == 0.0f) {
        for (std::size_t j = 0; j < g.n; ++j) ci[j] = 0.0f;
      } else if (g.beta != 1.0f) {
        for (std::size_t j = 0; j < g.n; ++j) ci[j] *= g.beta;
      }
      for (std::size_t p = 0; p < g.k; ++p) {
        const float aip = g.alpha * (g.trans_a ? g.a[p * g.lda + i] : g.a[i * g.lda + p]);
        const float* bp = b + p * ldb;
        for (std::size_t j = 0; j < g.n; ++j) ci[j] += aip * bp[j];
      }
    }
  });
}

}  // namespace kiln::gemm
