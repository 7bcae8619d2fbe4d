#include "logistic_math.h"

#include <cmath>

#include "../../runtime/simd_clones.h"

namespace kiln::linear {

KILN_CLONES double logistic_binary_block(double* z, const int32_t* y, const double* w, std::size_t m) {
  double loss = 0;
#pragma omp simd reduction(+ : loss)
  for (std::size_t i = 0; i < m; ++i) {
    const double s = z[i];
    const double e = std::exp(-std::abs(s));  // never overflows
    const double signed_s = y[i] == 1 ? s : -s;
    const double wi = w != nullptr ? w[i] : 1.0;
    // log(1 + e^-signed_s), stable for any sign
    loss += wi * ((signed_s > 0 ? 0.0 : -signed_s) + std::log1p(e));
    const double prob = s >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    z[i] = wi * (prob - (y[i] == 1 ? 1.0 : 0.0));
  }
  return loss;
}

}  // namespace kiln::linear
