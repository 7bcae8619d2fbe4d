#include <cmath>

#include "../../runtime/simd_clones.h"
#include "svm.h"

namespace kiln::svm {

KILN_CLONES void rbf_map(double* out, const double* sq, const int32_t* cols, std::size_t from, std::size_t to,
                         double sa, double gamma) {
#pragma omp simd
  for (std::size_t j = from; j < to; ++j) out[j] = std::exp(-gamma * (sa + sq[cols[j]] - 2 * out[j]));
}

KILN_CLONES void tanh_map(double* out, std::size_t from, std::size_t to, double gamma, double coef0) {
#pragma omp simd
  for (std::size_t j = from; j < to; ++j) out[j] = std::tanh(gamma * out[j] + coef0);
}

}  // namespace kiln::svm
