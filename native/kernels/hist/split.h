// Split search for one leaf from its histogram (internal to hist/): prefix scans over
// the bins of each feature, missing values tried on both sides, categorical features
// by categories ordered on gradient statistics (or one category against the rest).
#pragma once
#include <cstdint>
#include <vector>

#include "histogram.h"

namespace kiln::hist {

// Sums over a set of rows: gradient per channel, hessian, count.
struct Sums {
  std::vector<double> g;
  double h = 0, n = 0;
};

struct Split {
  bool valid = false;
  int32_t feature = -1;
  int32_t threshold = 0;  // numerical: bins 1..threshold left
  bool default_left = false;
  bool categorical = false;
  uint32_t cat_bits[8] = {0};  // categorical: bins going left
  double gain = 0;
  Sums left, right;
};

struct SplitContext {
  const HistLayout* layout = nullptr;
  const BinnedData* data = nullptr;
  const TreeParams* params = nullptr;
  double g_scale = 1, h_scale = 1;  // quantised mode: integer units -> gradient units
};

// Regularised score of a node: sum over channels of T(G)^2 / (H + l2), T the L1 shrinkage.
double node_score(const Sums& s, double l1, double l2);
// Leaf output of channel c: -T(G_c) / (H + l2).
double leaf_value(const Sums& s, int32_t c, double l1, double l2);

// The total of a leaf read from its histogram (feature 0's bins).
Sums histogram_total(const SplitContext& ctx, const void* hist);

// Best split of a leaf over the features whose flag is set in `features` (p entries).
Split find_best_split(const SplitContext& ctx, const void* hist, const Sums& total,
                      const std::vector<uint8_t>& features);

}  // namespace kiln::hist
