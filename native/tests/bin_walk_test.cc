// add_tree_to_scores (bin_walk.h) against a plain node-by-node walk on the bins: random trees of
// numerical and categorical splits (missing bins left or right), below and above the 64 leaves
// where the leaf masks give way to the 8-lane walk, on rows that are not a multiple of 8.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "../kernels/hist/bin_walk.h"
#include "../runtime/thread_pool.h"

namespace {

using namespace kiln::hist;

struct RandomTree {
  std::vector<int32_t> feature, threshold, left, right;
  std::vector<uint8_t> default_left, is_categorical;
  std::vector<uint32_t> cat_bits;
  std::vector<double> value;
  TreeOut out;
  int32_t nodes = 1;

  // Grows by splitting a random leaf until `leaves` leaves (chain: always the newest right leaf,
  // a tree as deep as it has leaves).
  RandomTree(int32_t leaves, std::size_t p, std::mt19937& rng, bool chain = false) {
    const std::size_t cap = 2 * static_cast<std::size_t>(leaves);
    feature.assign(cap, -1);
    threshold.assign(cap, 0);
    left.assign(cap, -1);
    right.assign(cap, -1);
    default_left.assign(cap, 0);
    is_categorical.assign(cap, 0);
    cat_bits.assign(8 * cap, 0);
    value.assign(cap, 0);
    std::vector<int32_t> open{0};
    while (static_cast<int32_t>(open.size()) < leaves) {
      const std::size_t pick = chain ? open.size() - 1 : rng() % open.size();
      const int32_t n = open[pick];
      open.erase(open.begin() + static_cast<std::ptrdiff_t>(pick));
      feature[n] = static_cast<int32_t>(rng() % p);
      is_categorical[n] = rng() % 3 == 0;
      threshold[n] = static_cast<int32_t>(rng() % 256);
      default_left[n] = rng() % 2;
      for (int w = 0; w < 8; ++w) cat_bits[8 * static_cast<std::size_t>(n) + w] = static_cast<uint32_t>(rng());
      left[n] = nodes++;
      right[n] = nodes++;
      open.push_back(left[n]);
      open.push_back(right[n]);
    }
    std::uniform_real_distribution<double> u(-1, 1);
    for (int32_t i = 0; i < nodes; ++i) value[static_cast<std::size_t>(i)] = u(rng);
    out.feature = feature.data();
    out.threshold = threshold.data();
    out.left = left.data();
    out.right = right.data();
    out.default_left = default_left.data();
    out.is_categorical = is_categorical.data();
    out.cat_bits = cat_bits.data();
    out.value = value.data();
  }

  int32_t leaf_of(const uint8_t* row) const {
    int32_t n = 0;
    while (feature[static_cast<std::size_t>(n)] >= 0) {
      const uint32_t b = row[feature[static_cast<std::size_t>(n)]];
      const bool go_left = is_categorical[static_cast<std::size_t>(n)]
                               ? ((cat_bits[8 * static_cast<std::size_t>(n) + (b >> 5)] >> (b & 31)) & 1) != 0
                               : (b == 0 ? default_left[static_cast<std::size_t>(n)] != 0
                                         : static_cast<int32_t>(b) <= threshold[static_cast<std::size_t>(n)]);
      n = go_left ? left[static_cast<std::size_t>(n)] : right[static_cast<std::size_t>(n)];
    }
    return n;
  }
};

TEST(BinWalk, MasksAndWalkAddTheLeafOfEveryRow) {
  std::mt19937 rng(7);
  const std::size_t n = 40003, p = 5, stride = 2, col = 1;
  std::vector<uint8_t> bins(n * p);
  for (auto& b : bins) b = static_cast<uint8_t>(rng() % 5 == 0 ? 0 : rng() % 256);
  BinnedData data;
  data.bins = bins.data();
  data.n = n;
  data.p = p;
  for (const std::size_t threads : {1, 2}) {
    kiln::runtime::set_thread_count(threads);
    for (const int32_t leaves : {1, 2, 31, 64, 65, 200}) {
      RandomTree t(leaves, p, rng);
      std::vector<double> scores(n * stride, 0.25), expected(n * stride, 0.25);
      const double scale = 0.1;
      for (std::size_t r = 0; r < n; ++r)
        expected[r * stride + col] += scale * t.value[static_cast<std::size_t>(t.leaf_of(&bins[r * p]))];
      add_tree_to_scores(t.out, t.nodes, 1, data, scale, scores.data(), stride, col);
      for (std::size_t i = 0; i < scores.size(); ++i)
        ASSERT_EQ(scores[i], expected[i]) << "leaves " << leaves << " at " << i;
    }
  }
  kiln::runtime::set_thread_count(2);
  // A chain of 200,000 leaves (as deep as it has leaves): too many leaves for masks, so the rows
  // are walked, down to the deepest leaf.
  RandomTree chain(200000, p, rng, true);
  std::vector<double> scores(n * stride, 0.25), expected(n * stride, 0.25);
  for (std::size_t r = 0; r < n; ++r)
    expected[r * stride + col] += 0.1 * chain.value[static_cast<std::size_t>(chain.leaf_of(&bins[r * p]))];
  add_tree_to_scores(chain.out, chain.nodes, 1, data, 0.1, scores.data(), stride, col);
  for (std::size_t i = 0; i < scores.size(); ++i) ASSERT_EQ(scores[i], expected[i]) << "chain at " << i;
}

}  // namespace
