// Histogram storage and construction for the tree grower (internal to hist/).
//
// A leaf's histogram holds, for every feature and each of its 256 bin slots, S
// accumulators of type T:
//   float, one channel:   T = double, S = 4: gradient, hessian, count, (pad: one 256-bit add)
//   float, C channels:    T = double, S = C + 2: C gradients, hessian, count
//   quantised:            T = int64,  S = 2: (g << 32) + h packed (exact), count
//                         (one 16-byte slot, from a 2-byte code per row: quantize.h)
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hist.h"

namespace kiln::hist {

struct HistLayout {
  bool quantized = false;
  int32_t channels = 1;
  std::size_t stride = 4;  // accumulators per bin slot
  std::size_t p = 0;
  // p: bins per feature, or null for all kMaxBins. No row lands in a slot at or past a feature's
  // count, so histograms are built, merged and subtracted only below it: the slots past it are
  // never written nor read (the split search reads bins below the count too).
  const int32_t* bin_count = nullptr;
  std::size_t slots() const { return p * kMaxBins * stride; }  // accumulators per leaf
};

// What the histogram is built from.
struct HistSource {
  const uint8_t* bins = nullptr;
  std::size_t p = 0;
  const double* grad_hess = nullptr;  // float mode: n x (channels + 1)
  const int16_t* codes = nullptr;     // quantised mode: n codes g * 128 + h (quantize_codes)
};

// Fills `out` (layout.slots() accumulators of T; the reachable ones zeroed here) from rows idx[0..m),
// or from rows 0..m-1 in order when idx is null (the same sums as idx = 0, 1, ..., m-1).
void build_histogram(const HistLayout& layout, const HistSource& src, const int32_t* idx, std::size_t m, void* out);

// out = parent - child, slot by slot over the reachable slots (exact in the quantised mode).
void subtract_histogram(const HistLayout& layout, const void* parent, const void* child, void* out);

}  // namespace kiln::hist
