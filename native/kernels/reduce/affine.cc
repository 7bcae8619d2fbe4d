#include "affine.h"

#include <algorithm>
#include <cmath>

#include "../../runtime/simd_clones.h"
#include "../../runtime/thread_pool.h"

namespace kiln::reduce {

namespace {

template <typename T>
inline void affine_row(const T* x, std::size_t cols, const double* shift, const double* scale, const double* fill,
                       double* out) {
#pragma omp simd
  for (std::size_t c = 0; c < cols; ++c) {
    const double v = static_cast<double>(x[c]);
    const double filled = v != v && fill != nullptr ? fill[c] : v;  // NaN -> fill[c] when imputing
    out[c] = (filled - shift[c]) * scale[c];
  }
}

KILN_CLONES void rows_f32(const float* x, std::size_t r0, std::size_t r1, std::size_t cols, const double* shift,
                          const double* scale, const double* fill, double* out) {
  for (std::size_t r = r0; r < r1; ++r) affine_row(x + r * cols, cols, shift, scale, fill, out + r * cols);
}

KILN_CLONES void rows_f64(const double* x, std::size_t r0, std::size_t r1, std::size_t cols, const double* shift,
                          const double* scale, const double* fill, double* out) {
  for (std::size_t r = r0; r < r1; ++r) affine_row(x + r * cols, cols, shift, scale, fill, out + r * cols);
}

}  // namespace

template <typename T>
void affine_columns(const T* x, std::size_t rows, std::size_t cols, const double* shift, const double* scale,
                    const double* fill, double* out) {
  const std::size_t grain = std::max<std::size_t>(1, 32768 / std::max<std::size_t>(cols, 1));
  runtime::parallel_for(rows, grain, [&](std::size_t r0, std::size_t r1) {
    if constexpr (sizeof(T) == 4) rows_f32(x, r0, r1, cols, shift, scale, fill, out);
    else rows_f64(x, r0, r1, cols, shift, scale, fill, out);
  });
}

template void affine_columns<float>(const float*, std::size_t, std::size_t, const double*, const double*, const double*,
                                    double*);
template void affine_columns<double>(const double*, std::size_t, std::size_t, const double*, const double*,
                                     const double*, double*);

}  // namespace kiln::reduce
