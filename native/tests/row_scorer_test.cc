// hist::score_row, the single-row bitvector scorer: on random forests of up to 64 leaves a tree
// (numerical and categorical nodes, either missing direction, several output columns) it gives
// the walk's sums bit for bit, for rows with missing values, unseen and non-integer codes and
// infinities; a tree of 65 leaves is refused (the caller walks instead).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "../kernels/hist/hist.h"
#include "../kernels/hist/row_scorer.h"
#include "forest_vectors.h"

namespace {

using namespace kiln::hist;

constexpr std::size_t kFeatures = 4;  // features 0-1 numerical, 2-3 categorical (codes < 64)

struct RandomForest : test_support::ForestVectors {
  // Tree of `leaves` leaves: split a random leaf until there are enough, children laid out as
  // a pair after their parent (the packed layout).
  void add_tree(std::mt19937& rng, int leaves, int32_t column) {
    struct Proto {
      int left = -1;  // index of the left child in protos (right = left + 1), -1 for a leaf
    };
    std::vector<Proto> protos(1);
    std::vector<int> open = {0};
    while (static_cast<int>(open.size()) < leaves) {
      const std::size_t pick = rng() % open.size();
      const int at = open[pick];
      open.erase(open.begin() + static_cast<std::ptrdiff_t>(pick));
      protos[static_cast<std::size_t>(at)].left = static_cast<int>(protos.size());
      protos.resize(protos.size() + 2);
      open.push_back(protos[static_cast<std::size_t>(at)].left);
      open.push_back(protos[static_cast<std::size_t>(at)].left + 1);
    }
    // Breadth first: each node's children get the next two free slots.
    const int32_t base = static_cast<int32_t>(nodes.size());
    std::vector<int> order = {0}, slot(protos.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      slot[static_cast<std::size_t>(order[i])] = base + static_cast<int32_t>(i);
      const int l = protos[static_cast<std::size_t>(order[i])].left;
      if (l >= 0) {
        order.push_back(l);
        order.push_back(l + 1);
      }
    }
    std::uniform_real_distribution<double> u(0, 1);
    for (int p : order) {
      const int32_t at = slot[static_cast<std::size_t>(p)];
      const int l = protos[static_cast<std::size_t>(p)].left;
      Node n{INFINITY, kNodeLeaf, at};
      int32_t off = 0, words = 0;
      if (l >= 0) {
        const int32_t feature = static_cast<int32_t>(rng() % kFeatures);
        n.left = slot[static_cast<std::size_t>(l)];
        n.word = feature | (rng() % 2 ? kNodeMissingLeft : 0);
        if (feature >= 2) {
          n.word |= kNodeCategorical;
          n.threshold = 0;
          words = 1 + static_cast<int32_t>(rng() % 2);
          off = static_cast<int32_t>(cat_bits.size());
          for (int32_t w = 0; w < words; ++w) cat_bits.push_back(static_cast<uint32_t>(rng()));
        } else {
          n.threshold = std::round(u(rng) * 20) / 4;  // repeated thresholds, as binned trees have
        }
      }
      nodes.push_back(n);
      cat_offset.push_back(off);
      cat_words.push_back(words);
      for (int32_t c = 0; c < channels; ++c) value.push_back(u(rng) - 0.5);
    }
    roots.push_back(base);
    tree_column.push_back(column);
    tree_weight.push_back(0.1);
  }
};

std::vector<double> random_row(std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<double> x(kFeatures);
  for (std::size_t j = 0; j < kFeatures; ++j) {
    const double r = u(rng);
    if (r < 0.1) x[j] = NAN;
    else if (r < 0.15) x[j] = r < 0.125 ? INFINITY : -INFINITY;
    else if (j < 2) x[j] = std::round(u(rng) * 24) / 4 - 0.5;  // hits thresholds exactly too
    else if (r < 0.2) x[j] = 70 + u(rng);                      // unseen or non-integer codes
    else x[j] = static_cast<double>(rng() % 64);
  }
  return x;
}

TEST(RowScorer, EqualsTheWalkBitForBit) {
  std::mt19937 rng(42);
  for (std::size_t out_cols : {1u, 3u}) {
    RandomForest rf;
    for (int t = 0; t < 60; ++t) rf.add_tree(rng, 1 + static_cast<int>(rng() % 64), t % static_cast<int32_t>(out_cols));
    const Forest f = rf.forest();
    ASSERT_EQ(check_forest(f, kFeatures, out_cols, 0, f.trees), "");
    RowScorer s;
    ASSERT_TRUE(build_row_scorer(f, kFeatures, s));
    for (int r = 0; r < 2000; ++r) {
      const std::vector<double> x = random_row(rng);
      std::vector<double> scored(out_cols, 0.5), walked(out_cols, 0.5), batch(out_cols, 0.5);
      score_row(s, f, x.data(), scored.data(), out_cols);
      walk_row(f, x.data(), walked.data(), out_cols);
      PredictArgs a;
      a.x.f64 = x.data();
      a.x.rows = 1;
      a.x.cols = kFeatures;
      a.forest = f;
      a.tree_end = f.trees;
      a.out = batch.data();
      a.out_cols = out_cols;
      predict_forest(a);
      for (std::size_t c = 0; c < out_cols; ++c) {
        EXPECT_EQ(scored[c], walked[c]) << "row " << r;
        EXPECT_EQ(scored[c], batch[c]) << "row " << r;
      }
    }
  }
}

// Batches large enough for predict_forest to score by bitvectors (and the same forest's tree
// walk: a tree range, or leaf indices asked for) give the single-row walk's sums bit for bit.
TEST(RowScorer, LargeBatchesEqualTheWalkBitForBit) {
  std::mt19937 rng(11);
  constexpr std::size_t kRows = 9000;  // past predict_forest's threshold for the scorer
  for (std::size_t out_cols : {1u, 3u}) {
    RandomForest rf;
    for (int t = 0; t < 40; ++t) rf.add_tree(rng, 1 + static_cast<int>(rng() % 64), t % static_cast<int32_t>(out_cols));
    const Forest f = rf.forest();
    std::vector<double> x;
    for (std::size_t r = 0; r < kRows; ++r) {
      const std::vector<double> row = random_row(rng);
      x.insert(x.end(), row.begin(), row.end());
    }
    std::vector<double> walked(kRows * out_cols, 0.25);
    for (std::size_t r = 0; r < kRows; ++r)
      walk_row(f, x.data() + r * kFeatures, walked.data() + r * out_cols, out_cols);
    for (const bool leaves : {false, true}) {
      std::vector<double> batch(kRows * out_cols, 0.25);
      std::vector<int32_t> leaf(kRows * f.trees);
      PredictArgs a;
      a.x.f64 = x.data();
      a.x.rows = kRows;
      a.x.cols = kFeatures;
      a.forest = f;
      a.tree_end = f.trees;
      a.out = batch.data();
      a.out_cols = out_cols;
      if (leaves) a.leaf_index = leaf.data();
      predict_forest(a);
      for (std::size_t i = 0; i < batch.size(); ++i)
        ASSERT_EQ(batch[i], walked[i]) << "value " << i << " leaves " << leaves;
    }
  }
}

TEST(RowScorer, RefusesTreesOfMoreThan64Leaves) {
  std::mt19937 rng(7);
  RandomForest rf;
  rf.add_tree(rng, 64, 0);
  RowScorer s;
  EXPECT_TRUE(build_row_scorer(rf.forest(), kFeatures, s));
  rf.add_tree(rng, 65, 0);
  EXPECT_FALSE(build_row_scorer(rf.forest(), kFeatures, s));
}

}  // namespace
