#include "row_scorer.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "leaf_order.h"

namespace kiln::hist {

namespace {

constexpr std::size_t kMaxLeaves = kMaxMaskLeaves;
// Category tables past this many (tree, mask) entries in all fall back to the walk (~12 MB).
constexpr std::size_t kMaxListEntries = std::size_t{1} << 20;
// A numerical feature gets per-interval lists while they hold at most this many entries (~3 MB).
constexpr std::size_t kMaxCutEntries = std::size_t{1} << 18;

struct Split {
  int32_t node;
  uint32_t tree;
  uint64_t mask;  // the leaves left once the row goes right: all but the left subtree's
};

// Whether category value v goes left at categorical node `at` (as predict.cc decides it).
bool categorical_left(const Forest& f, std::size_t at, double v) {
  if (!(v >= 0 && v < 32.0 * f.cat_words[at])) return false;
  const uint32_t c = static_cast<uint32_t>(v);
  if (static_cast<double>(c) != v) return false;
  return (f.cat_bits[f.cat_offset[at] + (c >> 5)] >> (c & 31)) & 1u;
}

// Numbers tree t's leaves left to right into s.leaf and appends its inner nodes to `splits`.
bool number_tree(const Forest& f, uint32_t t, RowScorer& s, std::vector<Split>& splits) {
  return number_leaves(
      f.roots[t],
      [&](int32_t node) {
        const Node& n = f.nodes[node];
        return n.word < 0 ? std::pair<int32_t, int32_t>{-1, -1} : std::pair<int32_t, int32_t>{n.left, n.left + 1};
      },
      [&](int32_t node, int32_t number) { s.leaf[t * kMaxLeaves + static_cast<std::size_t>(number)] = node; },
      [&](int32_t node, uint64_t mask) {
        splits.push_back({node, t, mask});
      });
}

// Appends one list: per tree, the AND of the masks of the nodes in `right` (those the value sends right).
void add_list(RowScorer& s, const std::vector<Split>& right) {
  std::vector<uint64_t> per_tree(s.trees, ~uint64_t{0});
  for (const Split& sp : right) per_tree[sp.tree] &= sp.mask;
  for (uint32_t t = 0; t < s.trees; ++t) {
    if (per_tree[t] == ~uint64_t{0}) continue;
    s.list_tree.push_back(t);
    s.list_mask.push_back(per_tree[t]);
  }
  s.list_offset.push_back(static_cast<uint32_t>(s.list_tree.size()));
}

}  // namespace

bool build_row_scorer(const Forest& f, std::size_t p, RowScorer& s) {
  s = RowScorer{};
  s.p = p;
  s.trees = f.trees;
  s.leaf.assign(f.trees * kMaxLeaves, 0);
  std::vector<Split> splits;
  for (uint32_t t = 0; t < f.trees; ++t)
    if (!number_tree(f, t, s, splits)) return false;
  std::vector<std::vector<Split>> num(p), cat(p);
  for (const Split& sp : splits) {
    const int32_t w = f.nodes[sp.node].word;
    if (!(w & kNodeCategorical) && std::isnan(f.nodes[sp.node].threshold)) return false;  // unordered: walk
    (w & kNodeCategorical ? cat : num)[static_cast<std::size_t>(w & kNodeFeatureMask)].push_back(sp);
  }
  s.num_offset.push_back(0);
  s.nan_offset.push_back(0);
  s.cut_offset.push_back(0);
  s.list_offset.push_back(0);
  std::size_t entries = 0;
  for (std::size_t j = 0; j < p; ++j) {
    // Numerical: ascending threshold; ties keep tree order (either order clears the same bits).
    std::stable_sort(num[j].begin(), num[j].end(), [&](const Split& a, const Split& b) {
      return f.nodes[a.node].threshold < f.nodes[b.node].threshold;
    });
    const auto thr = [&](const Split& sp) { return f.nodes[sp.node].threshold; };
    std::vector<double> cuts;
    for (const Split& sp : num[j])
      if (cuts.empty() || cuts.back() != thr(sp)) cuts.push_back(thr(sp));
    const std::size_t cut_entries = (cuts.size() + 1) * std::min<std::size_t>(num[j].size(), f.trees);
    s.cut_first.push_back(static_cast<uint32_t>(s.list_offset.size() - 1));
    if (!cuts.empty() && entries + cut_entries <= kMaxListEntries && cut_entries <= kMaxCutEntries) {
      entries += cut_entries;
      // Interval b (above b distinct thresholds): the nodes of the first b thresholds go right.
      std::vector<Split> right;
      std::size_t i = 0;
      for (std::size_t b = 0; b <= cuts.size(); ++b) {
        if (b > 0)
          while (i < num[j].size() && thr(num[j][i]) <= cuts[b - 1]) right.push_back(num[j][i++]);
        add_list(s, right);
      }
      s.cut.insert(s.cut.end(), cuts.begin(), cuts.end());
    }
    const bool listed = s.cut.size() > s.cut_offset.back();
    s.cut_offset.push_back(static_cast<uint32_t>(s.cut.size()));
    for (const Split& sp : num[j]) {
      if (!listed) {
        s.num_thr.push_back(thr(sp));
        s.num_tree.push_back(sp.tree);
        s.num_mask.push_back(sp.mask);
      }
      if (!(f.nodes[sp.node].word & kNodeMissingLeft)) {
        s.nan_tree.push_back(sp.tree);
        s.nan_mask.push_back(sp.mask);
      }
    }
    s.num_offset.push_back(static_cast<uint32_t>(s.num_thr.size()));
    s.nan_offset.push_back(static_cast<uint32_t>(s.nan_tree.size()));
    // Categorical: one list per code below the largest bitset, then missing, then any other value.
    uint32_t codes = 0;
    for (const Split& sp : cat[j]) codes = std::max(codes, static_cast<uint32_t>(32 * f.cat_words[sp.node]));
    s.cat_codes.push_back(codes);
    s.cat_first.push_back(static_cast<uint32_t>(s.list_offset.size() - 1));
    if (cat[j].empty()) continue;
    entries += (codes + 2) * std::min<std::size_t>(cat[j].size(), f.trees);
    if (entries > kMaxListEntries) return false;
    std::vector<Split> right;
    for (uint32_t c = 0; c < codes + 2; ++c) {
      right.clear();
      const double v = c == codes ? NAN : c == codes + 1 ? -1.0 : static_cast<double>(c);
      for (const Split& sp : cat[j]) {
        const int32_t w = f.nodes[sp.node].word;
        const bool left =
            std::isnan(v) ? (w & kNodeMissingLeft) != 0 : categorical_left(f, static_cast<std::size_t>(sp.node), v);
        if (!left) right.push_back(sp);
      }
      add_list(s, right);
    }
  }
  return true;
}

void score_row(const RowScorer& s, const Forest& f, const double* x, double* out, std::size_t out_cols) {
  uint64_t stack_words[256];
  std::vector<uint64_t> heap_words;
  uint64_t* bv = stack_words;
  if (s.trees > 256) {
    heap_words.resize(s.trees);
    bv = heap_words.data();
  }
  std::fill(bv, bv + s.trees, ~uint64_t{0});
  for (std::size_t j = 0; j < s.p; ++j) {
    const double v = x[j];
    if (std::isnan(v)) {
      for (uint32_t i = s.nan_offset[j], e = s.nan_offset[j + 1]; i < e; ++i) bv[s.nan_tree[i]] &= s.nan_mask[i];
    } else if (s.cut_offset[j + 1] > s.cut_offset[j]) {
      // Branch-free lower bound: the number of distinct thresholds below v.
      const double* c = s.cut.data() + s.cut_offset[j];
      std::size_t len = s.cut_offset[j + 1] - s.cut_offset[j], lo = 0;
      while (len > 1) {
        const std::size_t half = len / 2;
        lo += (c[lo + half - 1] < v) ? half : 0;
        len -= half;
      }
      lo += c[lo] < v ? 1 : 0;
      const uint32_t list = s.cut_first[j] + static_cast<uint32_t>(lo);
      for (uint32_t i = s.list_offset[list], e = s.list_offset[list + 1]; i < e; ++i)
        bv[s.list_tree[i]] &= s.list_mask[i];
    } else {
      for (uint32_t i = s.num_offset[j], e = s.num_offset[j + 1]; i < e && v > s.num_thr[i]; ++i)
        bv[s.num_tree[i]] &= s.num_mask[i];
    }
    const uint32_t codes = s.cat_codes[j];
    if (codes == 0) continue;
    uint32_t c = codes + 1;  // any other value
    if (std::isnan(v)) c = codes;
    else if (v >= 0 && v < codes && static_cast<double>(static_cast<uint32_t>(v)) == v) c = static_cast<uint32_t>(v);
    const uint32_t list = s.cat_first[j] + c;
    for (uint32_t i = s.list_offset[list], e = s.list_offset[list + 1]; i < e; ++i)
      bv[s.list_tree[i]] &= s.list_mask[i];
  }
  const int32_t* leaf = s.leaf.data();
  if (f.channels == 1 && out_cols == 1) {  // one score: summed in a register, as predict_forest does
    double sum = out[0];
    for (std::size_t t = 0; t < s.trees; ++t)
      sum += f.tree_weight[t] * f.value[leaf[t * kMaxLeaves + static_cast<std::size_t>(__builtin_ctzll(bv[t]))]];
    out[0] = sum;
    return;
  }
  for (std::size_t t = 0; t < s.trees; ++t) {
    const std::size_t node =
        static_cast<std::size_t>(leaf[t * kMaxLeaves + static_cast<std::size_t>(__builtin_ctzll(bv[t]))]);
    double* oc = out + static_cast<std::size_t>(f.tree_column[t]);
    const double* v = f.value + node * static_cast<std::size_t>(f.channels);
    for (int32_t c = 0; c < f.channels; ++c) oc[c] += f.tree_weight[t] * v[c];
  }
}

}  // namespace kiln::hist
