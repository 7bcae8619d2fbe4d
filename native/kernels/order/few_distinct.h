// Sorting and average ranks through a column's distinct values when they are few (delays in
// minutes, distances, counts, codes): one pass counts each distinct value in a cache-sized table,
// the distinct values alone are sorted, then a second pass writes the result — no pass of a radix
// sort over the whole column. Each gives up (returns false, having written nothing) as soon as
// more than kFewDistinct values appear, which on high-cardinality data happens early.
#pragma once
#include <cstddef>

namespace kiln::order {

constexpr std::size_t kFewDistinct = std::size_t{1} << 14;

// sort_f64's contract (JavaScript's order: -0 before +0, every NaN last as the quiet NaN).
bool sort_few_distinct(const double* in, std::size_t n, double* out);

// average_ranks' contract (-0 equal to +0; each NaN ranked on its own after every number, in index order).
bool average_ranks_few_distinct(const double* in, std::size_t n, double* ranks);

}  // namespace kiln::order
