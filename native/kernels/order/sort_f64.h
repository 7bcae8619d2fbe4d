// Sorting a column of doubles: the pass behind quantiles, ranks, the KS and Wasserstein drift
// measures and the table profile, where a sort dominates. Pure C++.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::order {

// Writes the n values of `in` to `out` in ascending order, in the order JavaScript's
// Float64Array#sort gives: -0 before +0, every NaN last (as the quiet NaN 0x7FFF...F).
// `in` and `out` may be the same array. Stable radix sort: O(n) extra memory, no comparisons.
void sort_f64(const double* in, std::size_t n, double* out);

// Writes to `order` the indices 0..n-1 of `in` in ascending order of value, ties (-0 and +0
// included) in index order, NaNs last: a stable argsort (numpy's kind='stable'). n < 2^32.
void argsort_f64(const double* in, std::size_t n, std::uint32_t* order);

// Writes to `ranks` the 1-based rank of each value, tied values sharing the mean of their
// positions (scipy.stats.rankdata's 'average'; -0 equal to +0; each NaN ranked on its own, after
// every number, in index order). n < 2^32.
void average_ranks(const double* in, std::size_t n, double* ranks);

}  // namespace kiln::order
