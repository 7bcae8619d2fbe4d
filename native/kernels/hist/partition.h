// The row partition of a numerical split on a dense bin column (internal to hist/): the grower's
// hottest loop after the histograms, 16 rows at a time where the CPU has AVX-512
// (runtime::cpu_features, so KILN_CPU caps it too), else row by row. Pure C++.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::hist {

// Rows idx[0..m) whose bin b = column[row] goes left ((b == 0) ? default_left : b <= threshold)
// to lo[0..), the others to hi[0..), both in their order in idx; returns the left count. lo and
// hi each have room for m rows (slots past the counts may be overwritten). column[0..readable) may
// be read: the vector path reads bins as 4-byte words and 64-byte windows, never past it (rows near
// the end are read byte-wise).
std::size_t partition_numerical(const int32_t* idx, std::size_t m, const uint8_t* column, std::size_t readable,
                                int32_t threshold, bool default_left, int32_t* lo, int32_t* hi);

}  // namespace kiln::hist
