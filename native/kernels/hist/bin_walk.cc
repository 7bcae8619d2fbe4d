#include "bin_walk.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "../../runtime/thread_pool.h"
#include "leaf_order.h"

namespace kiln::hist {

namespace {

// A node as the walk reads it: the 256 bins as a bit mask (set: the row goes left), so numerical
// and categorical splits take the same branch-free step; a leaf points to itself both ways.
struct WalkNode {
  uint64_t left_bins[4];
  int32_t feature, left, right, leaf;
};

WalkNode walk_node(const TreeOut& o, int32_t i) {
  if (o.feature[i] < 0) return WalkNode{{0, 0, 0, 0}, 0, i, i, 1};
  WalkNode w{{0, 0, 0, 0}, o.feature[i], o.left[i], o.right[i], 0};
  if (o.is_categorical[i]) {
    const uint32_t* bits = o.cat_bits + 8 * static_cast<std::size_t>(i);
    for (int q = 0; q < 4; ++q) w.left_bins[q] = bits[2 * q] | (static_cast<uint64_t>(bits[2 * q + 1]) << 32);
  } else {
    for (int32_t b = 1; b <= o.threshold[i] && b < 256; ++b) w.left_bins[b >> 6] |= uint64_t{1} << (b & 63);
    if (o.default_left[i]) w.left_bins[0] |= 1;
  }
  return w;
}

std::vector<WalkNode> walk_nodes(const TreeOut& o, int32_t num_nodes) {
  std::vector<WalkNode> nodes(static_cast<std::size_t>(num_nodes));
  for (int32_t i = 0; i < num_nodes; ++i) nodes[static_cast<std::size_t>(i)] = walk_node(o, i);
  return nodes;
}

// QuickScorer's bitvectors on bins, for trees of at most 64 leaves (leaf_order.h): for each
// feature the tree splits on and each bin, the leaves a row with that bin can still reach. A row's
// leaf is the lowest bit of the AND over those features: no branches, no dependent steps.
struct LeafMasks {
  std::vector<int32_t> features;    // the features the tree splits on
  std::vector<uint64_t> reachable;  // features.size() x 256
  std::vector<int32_t> leaf_node;   // leaf number -> node
};

bool leaf_masks(const TreeOut& o, LeafMasks& m) {
  std::vector<std::pair<int32_t, uint64_t>> inner;  // (node, the leaves left once a row goes right)
  const bool fits = number_leaves(
      0,
      [&](int32_t node) {
        return o.feature[node] < 0 ? std::pair<int32_t, int32_t>{-1, -1}
                                   : std::pair<int32_t, int32_t>{o.left[node], o.right[node]};
      },
      [&](int32_t node, int32_t) { m.leaf_node.push_back(node); },
      [&](int32_t node, uint64_t mask) {
        inner.push_back({node, mask});
      });
  if (!fits) return false;
  for (const auto& [node, right_mask] : inner) {
    const int32_t f = o.feature[node];
    auto it = std::find(m.features.begin(), m.features.end(), f);
    if (it == m.features.end()) {
      m.features.push_back(f);
      m.reachable.resize(m.features.size() * 256, ~uint64_t{0});
      it = m.features.end() - 1;
    }
    uint64_t* row = m.reachable.data() + static_cast<std::size_t>(it - m.features.begin()) * 256;
    const WalkNode w = walk_node(o, node);
    for (uint32_t b = 0; b < 256; ++b)
      if (((w.left_bins[b >> 6] >> (b & 63)) & 1) == 0) row[b] &= right_mask;
  }
  return true;
}

// Rows r0..r1 through the masks; U features (0: as many as the masks have).
struct MaskedRows {
  const LeafMasks& m;
  const BinnedData& data;
  const double* add;
  double* scores;
  std::size_t stride, col;

  template <std::size_t U>
  void run(std::size_t r0, std::size_t r1) const {
    const std::size_t u = U != 0 ? U : m.features.size(), p = data.p;
    const uint8_t* bins = data.bins;
    const int32_t* feat = m.features.data();
    const uint64_t* reach = m.reachable.data();
    for (std::size_t r = r0; r < r1; ++r) {
      uint64_t leaves = ~uint64_t{0};
      for (std::size_t k = 0; k < u; ++k) leaves &= reach[k * 256 + bins[r * p + static_cast<std::size_t>(feat[k])]];
      scores[r * stride + col] += add[static_cast<std::size_t>(__builtin_ctzll(leaves))];
    }
  }
};

}  // namespace

void add_tree_to_scores(const TreeOut& o, int32_t num_nodes, int32_t channels, const BinnedData& data, double scale,
                        double* scores, std::size_t stride, std::size_t col) {
  LeafMasks m;
  if (leaf_masks(o, m)) {
    std::vector<double> add(m.leaf_node.size());
    for (std::size_t l = 0; l < add.size(); ++l)
      add[l] = scale * o.value[static_cast<std::size_t>(m.leaf_node[l]) * channels];
    const MaskedRows rows{m, data, add.data(), scores, stride, col};
    runtime::parallel_for(data.n, 16384, [&](std::size_t r0, std::size_t r1) {
      switch (m.features.size()) {  // a known feature count unrolls the AND chain
        case 1: return rows.run<1>(r0, r1);
        case 2: return rows.run<2>(r0, r1);
        case 3: return rows.run<3>(r0, r1);
        case 4: return rows.run<4>(r0, r1);
        case 5: return rows.run<5>(r0, r1);
        case 6: return rows.run<6>(r0, r1);
        case 7: return rows.run<7>(r0, r1);
        case 8: return rows.run<8>(r0, r1);
        default: return rows.run<0>(r0, r1);
      }
    });
    return;
  }
  const std::vector<WalkNode> nodes = walk_nodes(o, num_nodes);
  std::vector<double> add(static_cast<std::size_t>(num_nodes));
  for (int32_t i = 0; i < num_nodes; ++i)
    add[static_cast<std::size_t>(i)] = scale * o.value[static_cast<std::size_t>(i) * channels];
  const WalkNode* w = nodes.data();
  const uint8_t* bins = data.bins;
  const std::size_t p = data.p;
  runtime::parallel_for(data.n, 16384, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) {
      int32_t at = 0;
      while (!w[at].leaf) {
        const uint32_t b = bins[r * p + static_cast<std::size_t>(w[at].feature)];
        at = ((w[at].left_bins[b >> 6] >> (b & 63)) & 1) != 0 ? w[at].left : w[at].right;
      }
      scores[r * stride + col] += add[static_cast<std::size_t>(at)];
    }
  });
}

}  // namespace kiln::hist
