// The rows and values binning places its edges from (hist.h's BinSampleArgs): the draw repeats
// src/core/prng.ts's Rng.sampleIndices step for step, so the JavaScript reference and this give
// the same rows; the gather fetches sampled rows ahead, which scattered rows of a large matrix
// need (a JavaScript loop spent ~40 ms on 200,000 rows of flights' 2.4M).
#include <algorithm>
#include <cmath>
#include <vector>

#include "../../runtime/xoshiro.h"
#include "hist.h"

namespace kiln::hist {

namespace {

using runtime::Xoshiro128;

// Rng.sampleIndices(n, k): the first k places of a partial Fisher-Yates shuffle of 0..n-1, the
// places past k that a swap touched kept in a small open-addressing table; ascending.
std::vector<int32_t> draw(Xoshiro128& rng, std::size_t n, std::size_t k) {
  std::vector<int32_t> head(k);
  for (std::size_t i = 0; i < k; ++i) head[i] = static_cast<int32_t>(i);
  if (k == n) return head;
  const uint32_t wide = static_cast<uint32_t>(k <= 1 ? 2 : 2 * k - 1);  // Math.max(2, 2k - 1)
  const int bits = 32 - __builtin_clz(wide);
  const uint32_t mask = (uint32_t{1} << bits) - 1;
  std::vector<int32_t> keys(std::size_t{mask} + 1, 0), vals(std::size_t{mask} + 1, 0);  // keys: place + 1
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t j = i + rng.below(n - i);
    if (j < k) {
      std::swap(head[i], head[j]);
      continue;
    }
    uint32_t h = (static_cast<uint32_t>(j) * 0x9e3779b1u) >> (32 - bits);
    const int32_t key = static_cast<int32_t>(j + 1);
    while (keys[h] != 0 && keys[h] != key) h = (h + 1) & mask;
    const int32_t at_j = keys[h] != 0 ? vals[h] : static_cast<int32_t>(j);
    keys[h] = key;
    vals[h] = head[i];
    head[i] = at_j;
  }
  std::sort(head.begin(), head.end());
  return head;
}

}  // namespace

void bin_sample(const BinSampleArgs& a) {
  Xoshiro128 rng{a.state[0], a.state[1], a.state[2], a.state[3]};
  const std::vector<int32_t> rows = draw(rng, a.x.rows, a.k);
  const std::size_t p = a.x.cols, f_count = a.feature_count, k = a.k;
  constexpr std::size_t kAhead = 8;  // rows fetched ahead: each is a cache miss of its own
  std::vector<std::size_t> filled(f_count, 0);
  a.x.visit([&](const auto* x) {
    for (std::size_t i = 0; i < k; ++i) {
      if (i + kAhead < k) __builtin_prefetch(x + static_cast<std::size_t>(rows[i + kAhead]) * p);
      const auto* row = x + static_cast<std::size_t>(rows[i]) * p;
      for (std::size_t c = 0; c < f_count; ++c) {
        const double v = static_cast<double>(row[a.features[c]]);
        if (!std::isnan(v)) a.values[c * k + filled[c]++] = v;
      }
    }
  });
  for (std::size_t c = 0; c < f_count; ++c) a.counts[c] = static_cast<int32_t>(filled[c]);
}

}  // namespace kiln::hist
