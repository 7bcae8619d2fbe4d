// Sorting a column of doubles: the pass behind quantiles, ranks, the KS and Wasserstein drift
// measures and the table profile, where a sort dominates. Pure C++.
#pragma once
#include <cstddef>

namespace kiln::order {

// Writes the n values of `in` to `out` in ascending order, in the order JavaScript's
// Float64Array#sort gives: -0 before +0, every NaN last (as the quiet NaN 0x7FFF...F).
// `in` and `out` may be the same array. Stable radix sort: O(n) extra memory, no comparisons.
void sort_f64(const double* in, std::size_t n, double* out);

}  // namespace kiln::order
