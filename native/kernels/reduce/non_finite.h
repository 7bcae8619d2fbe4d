// Index of the first NaN or +-Inf in an array, or -1: the boundary check behind
// E_NONFINITE, vectorised (a JS loop costs ~1.3 ns per element; on a 256^3 matmul
// the check of both inputs took as long as the multiply).
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::reduce {

std::int64_t first_non_finite(const float* x, std::size_t n);
std::int64_t first_non_finite(const double* x, std::size_t n);

}  // namespace kiln::reduce
