// Euclidean norm (or its square) of each row of a row-major matrix, accumulated
// in f64. The squared norms feed k-NN's ||x||^2 - 2 x.y + ||y||^2.
#pragma once
#include <cstddef>

namespace kiln::reduce {

template <typename T>
void row_norms(const T* x, std::size_t rows, std::size_t cols, bool squared, double* out);

}  // namespace kiln::reduce
