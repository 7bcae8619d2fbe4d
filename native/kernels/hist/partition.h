// The row partition of a split (internal to hist/): the grower's hottest loop after the
// histograms. Rows are placed straight at their final places, 16 at a time: a numerical split on
// a dense bin column reads the bins by vector where the CPU has AVX-512 (runtime::cpu_features, so
// KILN_CPU caps it too), any other split through a bin -> side table. Pure C++.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::hist {

// One lane's places in `out`: its next left and right places and the limits they may not pass.
// Forward, rows go to out[left], out[left + 1], ... (rights likewise) and the cursors move up to
// at most left_limit / right_limit. Backward, the rows are taken from the last and go to
// out[left - 1], out[left - 2], ..., the cursors moving down to no less than the limits: the
// lane's rows keep their order either way. A group of rows that would pass a limit (the rows
// disagree with the split's counts) throws std::logic_error before it is written.
struct LaneCursor {
  int32_t* out = nullptr;
  std::size_t left = 0, right = 0;
  std::size_t left_limit = 0, right_limit = 0;
  bool backward = false;
};

// Rows idx[0..m) of a numerical split: bin b = column[row] goes left when (b == 0) ? default_left
// : b <= threshold. column[0..readable) may be read: the vector path reads bins as 4-byte words
// and 64-byte windows, never past it (rows near the end are read byte-wise).
void place_numerical(const int32_t* idx, std::size_t m, const uint8_t* column, std::size_t readable, int32_t threshold,
                     bool default_left, LaneCursor& lane);

// Rows idx[0..m) of any split: bin b = column[row * step] goes left when left_of_bin[b] is 1.
void place_by_table(const int32_t* idx, std::size_t m, const uint8_t* column, std::size_t step,
                    const uint8_t* left_of_bin, LaneCursor& lane);

}  // namespace kiln::hist
