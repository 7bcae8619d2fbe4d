// Per-column statistics of a row-major matrix in one pass: count, sum, mean,
// M2 (sum of squared deviations, Welford), min, max. Non-finite values (NaN,
// +-Inf) are skipped and counted separately so callers can reject or ignore them.
#pragma once
#include <cstddef>

namespace kiln::reduce {

struct ColumnStatsOut {
  double* count;       // finite values per column
  double* non_finite;  // NaN/Inf values per column
  double* sum;
  double* mean;
  double* m2;
  double* min;  // +Inf when a column has no finite value
  double* max;  // -Inf when a column has no finite value
};

template <typename T>
void column_stats(const T* x, std::size_t rows, std::size_t cols, const ColumnStatsOut& out);

}  // namespace kiln::reduce
