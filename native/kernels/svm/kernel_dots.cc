#include "../../runtime/simd_clones.h"
#include "svm.h"

namespace kiln::svm {

KILN_CLONES void dots(const double* x, std::size_t d, const double* xa, const int32_t* cols, std::size_t from,
                      std::size_t to, double* out) {
  for (std::size_t j = from; j < to; ++j) {
    const double* xb = x + static_cast<std::size_t>(cols[j]) * d;
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (std::size_t k = 0; k < d; ++k) s += xa[k] * xb[k];
    out[j] = s;
  }
}

}  // namespace kiln::svm
