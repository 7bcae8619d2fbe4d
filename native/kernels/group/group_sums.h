// Per-group sums and counts of a value column over integer group codes: the one pass behind
// groupBy's sum, mean and count (kiln's data room). NaN values are skipped; a code of -1 is a
// row left out. Sums are Kahan-compensated, as pandas' group_sum / group_mean. Pure C++.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::group {

// Writes sum[g] and count[g] for g in [0, groups). Returns -1, or the index of the first row
// whose code is outside [-1, groups) (nothing useful is written then).
std::int64_t group_sums(const double* values, const std::int32_t* codes, std::size_t rows, std::size_t groups,
                        double* sum, double* count);

}  // namespace kiln::group
