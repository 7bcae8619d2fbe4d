// Split search for one leaf from its histogram (internal to hist/): prefix scans over
// the bins of each feature, missing values tried on both sides, categorical features
// by categories ordered on gradient statistics (or one category against the rest).
#pragma once
#include <cmath>
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
  double g_scale = 1, h_scale = 1;   // quantised mode: integer units -> gradient units
  const int8_t* monotone = nullptr;  // per feature -1 / 0 / 1, or null (single channel)
};

// SplitMix64: the hist engine's seeded draws (per-node features, random thresholds); the js and
// webgpu sides repeat it in src/backend/hist/node-features.ts.
inline uint64_t splitmix(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Extremely randomised trees: the one threshold tried for feature f at node `node`, a bin drawn
// uniformly in [lo, hi) (lo, hi: the node's lowest and highest non-empty value bins; bins lo..t go left).
inline int32_t random_threshold(uint64_t seed, int32_t node, int32_t f, int32_t lo, int32_t hi) {
  uint64_t s = seed * 0x100000001B3ull + static_cast<uint64_t>(node) * 0x9E3779B97F4A7C15ull +
               static_cast<uint64_t>(f + 1) * 0xD1B54A32D192ED03ull;
  return lo + static_cast<int32_t>(splitmix(s) % static_cast<uint64_t>(hi - lo));
}

// Regularised score of a node: sum over channels of T(G)^2 / (H + l2), T the L1 shrinkage.
double node_score(const Sums& s, double l1, double l2);
// Leaf output of channel c: -T(G_c) / (H + l2), clipped to [lower, upper] (monotonic bounds).
double leaf_value(const Sums& s, int32_t c, double l1, double l2, double lower = -INFINITY, double upper = INFINITY);

// The total of a leaf read from its histogram (feature 0's bins).
Sums histogram_total(const SplitContext& ctx, const void* hist);

// Best split of a leaf (tree node `node`) over the features whose flag is set in `features` (p
// entries); with params.random_thresholds, each numerical feature offers one random threshold.
// lower, upper: the bounds monotonic constraints put on the leaf's value.
Split find_best_split(const SplitContext& ctx, const void* hist, const Sums& total,
                      const std::vector<uint8_t>& features, int32_t node, double lower, double upper);

}  // namespace kiln::hist
