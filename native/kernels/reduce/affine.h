// Column-wise affine maps for the scalers: out = (x - shift[c]) * scale[c], in f64,
// with NaN (missing) cells kept NaN or replaced by fill[c] (the imputers). Pure C++.
#pragma once
#include <cstddef>

namespace kiln::reduce {

template <typename T>
void affine_columns(const T* x, std::size_t rows, std::size_t cols, const double* shift, const double* scale,
                    const double* fill, double* out);

}  // namespace kiln::reduce
