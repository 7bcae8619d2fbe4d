// Group codes of whole rows over several key columns, in order of first appearance: the pass
// behind duplicated / dropDuplicates (pandas' semantics: a missing value equals another missing
// value). Numeric columns are f64 (-0 equal to +0, every NaN alike); categorical columns are
// int32 codes (every negative code is "missing", equal to any other negative code). Pure C++.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace kiln::group {

struct KeyColumn {
  const double* f64 = nullptr;          // a numeric column, or
  const std::int32_t* codes = nullptr;  // a categorical one (exactly one is set)
};

// Writes codes[r] = the group of row r (0, 1, 2, … in order of first appearance) and returns
// the number of groups.
std::size_t row_groups(const std::vector<KeyColumn>& columns, std::size_t rows, std::int32_t* codes);

}  // namespace kiln::group
