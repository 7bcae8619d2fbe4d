// Prediction from a flattened forest on raw values: blocks of rows in parallel, and
// within a block tree after tree, so a tree's nodes stay in cache across its rows.
#include <algorithm>
#include <cmath>
#include <vector>

#include "../../runtime/thread_pool.h"
#include "hist.h"
#include "row_scorer.h"

namespace kiln::hist {

namespace {

constexpr std::size_t kBlock = 64;

// Whether category value v goes left at categorical node `at` (unseen or non-integer: right).
inline bool categorical_left(const Forest& f, std::size_t at, double v) {
  // Range first (NaN fails it too), then integrality by truncation: no libm floor call.
  if (!(v >= 0 && v < 32.0 * f.cat_words[at])) return false;
  const uint32_t c = static_cast<uint32_t>(v);
  if (static_cast<double>(c) != v) return false;
  return (f.cat_bits[f.cat_offset[at] + (c >> 5)] >> (c & 31)) & 1u;
}

constexpr std::size_t kLanes = 4;  // rows walked side by side: their steps overlap in the CPU

// Batches of at least this many rows take the bitvector scorer: its build (~2 ms for 100 trees of
// 31 leaves on 229-code categories) pays for itself past ~1,500 rows. Ranges of kScorerGrain rows per task.
constexpr std::size_t kScorerMinRows = 4096;
constexpr std::size_t kScorerGrain = 256;

// One step from node `at` for a row: branch-free for numerical nodes (NaN: the missing side).
template <typename X>
inline int32_t step(const Forest& f, int32_t at, const X* x) {
  const Node& node = f.nodes[at];
  const double v = static_cast<double>(x[node.word & kNodeFeatureMask]);
  if (node.word >= 0 && (node.word & kNodeCategorical)) {
    const bool left =
        std::isnan(v) ? (node.word & kNodeMissingLeft) != 0 : categorical_left(f, static_cast<std::size_t>(at), v);
    return node.left + (left ? 0 : 1);
  }
  const int32_t right = static_cast<int32_t>(!(v <= node.threshold)) &
                        ~static_cast<int32_t>(std::isnan(v) & ((node.word & kNodeMissingLeft) != 0));
  return node.left + right;
}

// Leaves of `rows` consecutive rows (stride p) in the tree rooted at `root`.
template <typename X>
void walk(const Forest& f, int32_t root, const X* x, std::size_t p, std::size_t rows, int32_t* leaf) {
  std::size_t r = 0;
  for (; r + kLanes <= rows; r += kLanes) {
    int32_t at[kLanes];
    for (std::size_t k = 0; k < kLanes; ++k) at[k] = root;
    for (;;) {
      bool moving = false;
      for (std::size_t k = 0; k < kLanes; ++k) {
        moving |= f.nodes[at[k]].word >= 0;
        at[k] = step(f, at[k], x + (r + k) * p);
      }
      if (!moving) break;
    }
    for (std::size_t k = 0; k < kLanes; ++k) leaf[r + k] = at[k];
  }
  for (; r < rows; ++r) {
    int32_t at = root;
    while (f.nodes[at].word >= 0) at = step(f, at, x + r * p);
    leaf[r] = at;
  }
}

// One row through trees [t0, t1), kLanes trees side by side (the single-row latency path: the
// trees' walks are independent chains the CPU overlaps, as rows are in walk()).
template <typename X>
void walk_trees(const Forest& f, const X* x, std::size_t t0, std::size_t t1, int32_t* leaf) {
  std::size_t t = t0;
  for (; t + kLanes <= t1; t += kLanes) {
    int32_t at[kLanes];
    for (std::size_t k = 0; k < kLanes; ++k) at[k] = f.roots[t + k];
    for (;;) {
      bool moving = false;
      for (std::size_t k = 0; k < kLanes; ++k) {
        moving |= f.nodes[at[k]].word >= 0;
        at[k] = step(f, at[k], x);
      }
      if (!moving) break;
    }
    for (std::size_t k = 0; k < kLanes; ++k) leaf[t - t0 + k] = at[k];
  }
  for (; t < t1; ++t) {
    int32_t at = f.roots[t];
    while (f.nodes[at].word >= 0) at = step(f, at, x);
    leaf[t - t0] = at;
  }
}

// Few rows: each row walks the trees lanes-wide, on the calling thread.
template <typename X>
void predict_few_rows(const PredictArgs& a, const X* x) {
  const Forest& f = a.forest;
  const std::size_t span = a.tree_end - a.tree_begin, p = a.x.cols;
  std::vector<int32_t> leaves(span);
  for (std::size_t r = 0; r < a.x.rows; ++r) {
    walk_trees(f, x + r * p, a.tree_begin, a.tree_end, leaves.data());
    if (a.leaf_index != nullptr)
      for (std::size_t i = 0; i < span; ++i) a.leaf_index[r * span + i] = leaves[i];
    if (a.out == nullptr) continue;
    double* o = a.out + r * a.out_cols;
    if (f.channels == 1 && a.out_cols == 1) {  // one score: sum in a register, store once
      double s = o[0];
      for (std::size_t i = 0; i < span; ++i) s += f.tree_weight[a.tree_begin + i] * f.value[leaves[i]];
      o[0] = s;
      continue;
    }
    for (std::size_t i = 0; i < span; ++i) {
      const std::size_t t = a.tree_begin + i;
      double* oc = o + static_cast<std::size_t>(f.tree_column[t]);
      const double* v = f.value + static_cast<std::size_t>(leaves[i]) * f.channels;
      for (int32_t c = 0; c < f.channels; ++c) oc[c] += f.tree_weight[t] * v[c];
    }
  }
}

}  // namespace

void predict_forest(const PredictArgs& a) {
  const std::size_t n = a.x.rows, p = a.x.cols;
  if (n < kLanes) {
    a.x.visit([&](auto* x) { predict_few_rows(a, x); });
    return;
  }
  const Forest& f = a.forest;
  if (n >= kScorerMinRows && a.x.f64 != nullptr && a.out != nullptr && a.leaf_index == nullptr && a.tree_begin == 0 &&
      a.tree_end == f.trees) {
    // Scores only, of the whole forest, for many rows: QuickScorer's bitvectors (row_scorer.h),
    // built once per call, about 5 times the walk's rows/s on 100 trees of 31 leaves; the same sums.
    RowScorer s;
    if (build_row_scorer(f, p, s)) {
      runtime::parallel_for(n, kScorerGrain, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < r1; ++r) score_row(s, f, a.x.f64 + r * p, a.out + r * a.out_cols, a.out_cols);
      });
      return;
    }
  }
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  const std::size_t span = a.tree_end - a.tree_begin;
  const std::size_t grain = std::max<std::size_t>(1, 4096 / std::max<std::size_t>(1, span));
  runtime::parallel_for(blocks, grain, [&](std::size_t b0, std::size_t b1) {
    int32_t leaf[kBlock];
    for (std::size_t b = b0; b < b1; ++b) {
      const std::size_t r0 = b * kBlock, rows = std::min(n, r0 + kBlock) - r0;
      for (std::size_t t = a.tree_begin; t < a.tree_end; ++t) {
        // A branch per tree written out, not x.visit() (see runtime/rows.h).
        if (a.x.f32 != nullptr) walk(f, f.roots[t], a.x.f32 + r0 * p, p, rows, leaf);
        else walk(f, f.roots[t], a.x.f64 + r0 * p, p, rows, leaf);
        const std::size_t col = static_cast<std::size_t>(f.tree_column[t]);
        const double w = f.tree_weight[t];
        for (std::size_t i = 0; i < rows; ++i) {
          const std::size_t r = r0 + i;
          if (a.leaf_index != nullptr) a.leaf_index[r * span + (t - a.tree_begin)] = leaf[i];
          if (a.out != nullptr) {
            double* o = a.out + r * a.out_cols + col;
            const double* v = f.value + static_cast<std::size_t>(leaf[i]) * f.channels;
            for (int32_t c = 0; c < f.channels; ++c) o[c] += w * v[c];
          }
        }
      }
    }
  });
}

void walk_row(const Forest& f, const double* x, double* out, std::size_t out_cols) {
  constexpr std::size_t kChunk = 64;  // trees walked per stack buffer of leaves
  int32_t leaves[kChunk];
  double sum = out[0];
  const bool single = f.channels == 1 && out_cols == 1;
  for (std::size_t t0 = 0; t0 < f.trees; t0 += kChunk) {
    const std::size_t t1 = std::min(f.trees, t0 + kChunk);
    walk_trees(f, x, t0, t1, leaves);
    for (std::size_t t = t0; t < t1; ++t) {
      const std::size_t node = static_cast<std::size_t>(leaves[t - t0]);
      if (single) {
        sum += f.tree_weight[t] * f.value[node];
        continue;
      }
      double* oc = out + static_cast<std::size_t>(f.tree_column[t]);
      const double* v = f.value + node * static_cast<std::size_t>(f.channels);
      for (int32_t c = 0; c < f.channels; ++c) oc[c] += f.tree_weight[t] * v[c];
    }
  }
  if (single) out[0] = sum;
}

}  // namespace kiln::hist
