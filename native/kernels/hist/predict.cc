// Prediction from a flattened forest on raw values: blocks of rows in parallel, and
// within a block tree after tree, so a tree's nodes stay in cache across its rows.
#include <algorithm>
#include <cmath>

#include "../../runtime/thread_pool.h"
#include "hist.h"

namespace kiln::hist {

namespace {

constexpr std::size_t kBlock = 64;

inline int32_t leaf_of(const Forest& f, int32_t node, const float* x32, const double* x64) {
  while (f.feature[node] >= 0) {
    const int32_t feat = f.feature[node];
    const double v = x32 != nullptr ? static_cast<double>(x32[feat]) : x64[feat];
    const uint8_t flags = f.flags[node];
    bool left;
    if (std::isnan(v)) {
      left = flags & 1u;
    } else if (flags & 2u) {
      const double code = std::floor(v);
      const double limit = 32.0 * f.cat_words[node];
      if (code == v && code >= 0 && code < limit) {
        const uint32_t c = static_cast<uint32_t>(code);
        left = (f.cat_bits[f.cat_offset[node] + (c >> 5)] >> (c & 31)) & 1u;
      } else {
        left = false;  // a category never seen in training goes right
      }
    } else {
      left = v <= f.threshold[node];
    }
    node = left ? f.left[node] : f.right[node];
  }
  return node;
}

}  // namespace

void predict_forest(const PredictArgs& a) {
  const Forest& f = a.forest;
  const std::size_t blocks = (a.n + kBlock - 1) / kBlock;
  const std::size_t span = a.tree_end - a.tree_begin;
  const std::size_t grain = std::max<std::size_t>(1, 4096 / std::max<std::size_t>(1, span));
  runtime::parallel_for(blocks, grain, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      const std::size_t r0 = b * kBlock, r1 = std::min(a.n, r0 + kBlock);
      for (std::size_t t = a.tree_begin; t < a.tree_end; ++t) {
        const int32_t root = f.roots[t];
        const std::size_t col = static_cast<std::size_t>(f.tree_column[t]);
        const double w = f.tree_weight[t];
        for (std::size_t r = r0; r < r1; ++r) {
          const int32_t leaf = leaf_of(f, root, a.x32 != nullptr ? a.x32 + r * a.p : nullptr,
                                       a.x64 != nullptr ? a.x64 + r * a.p : nullptr);
          if (a.leaf_index != nullptr) a.leaf_index[r * span + (t - a.tree_begin)] = leaf;
          if (a.out != nullptr) {
            double* o = a.out + r * a.out_cols + col;
            const double* v = f.value + static_cast<std::size_t>(leaf) * f.channels;
            for (int32_t c = 0; c < f.channels; ++c) o[c] += w * v[c];
          }
        }
      }
    }
  });
}

}  // namespace kiln::hist
