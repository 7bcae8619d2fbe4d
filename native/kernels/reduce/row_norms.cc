#include "row_norms.h"

#include <algorithm>
#include <cmath>

#include "../../runtime/thread_pool.h"

namespace kiln::reduce {

template <typename T>
void row_norms(const T* x, std::size_t rows, std::size_t cols, bool squared, double* out) {
  const std::size_t grain = std::max<std::size_t>(1, 32768 / std::max<std::size_t>(cols, 1));
  runtime::parallel_for(rows, grain, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) {
      const T* row = x + r * cols;
      double s = 0.0;
#pragma omp simd reduction(+ : s)
      for (std::size_t j = 0; j < cols; ++j) s += static_cast<double>(row[j]) * static_cast<double>(row[j]);
      out[r] = squared ? s : std::sqrt(s);
    }
  });
}

template void row_norms<float>(const float*, std::size_t, std::size_t, bool, double*);
template void row_norms<double>(const double*, std::size_t, std::size_t, bool, double*);

}  // namespace kiln::reduce
