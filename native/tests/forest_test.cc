// hist::check_forest, the structural check every forest passes before prediction walks it: a
// sound forest passes, and each kind of damage a walk could trip on (an index out of range, a
// cycle, a leaf that does not step to itself, a category bitset past the bits) is named.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../kernels/hist/hist.h"
#include "forest_vectors.h"

namespace {

using namespace kiln::hist;

// Two trees over 2 features: tree 0 a numerical stump on feature 1 (nodes 0-2), tree 1 a
// categorical stump on feature 0 whose bitset is word 0 of cat_bits (nodes 3-5).
struct TwoStumps : test_support::ForestVectors {
  TwoStumps() {
    nodes = {{0.5, 1, 1},
             {INFINITY, kNodeLeaf, 1},
             {INFINITY, kNodeLeaf, 2},
             {0.0, 0 | kNodeCategorical | kNodeMissingLeft, 4},
             {INFINITY, kNodeLeaf, 4},
             {INFINITY, kNodeLeaf, 5}};
    cat_offset = {0, 0, 0, 0, 0, 0};
    cat_words = {0, 0, 0, 1, 0, 0};
    cat_bits = {0b101u};
    value = {0, -1, 1, 0, -2, 2};
    roots = {0, 3};
    tree_column = {0, 1};
    tree_weight = {1, 1};
  }
  std::string check(std::size_t p = 2, std::size_t out_cols = 2, std::size_t t0 = 0, std::size_t t1 = 2) const {
    return check_forest(forest(), p, out_cols, t0, t1);
  }
};

TEST(ForestCheck, SoundForestPasses) {
  const TwoStumps s;
  EXPECT_EQ(s.check(), "");
  EXPECT_EQ(s.check(2, 2, 1, 1), "");  // an empty range walks nothing
  // and it predicts what it says (the walk the check guards)
  const double x[] = {0.0, 0.25, 1.0, 0.75, NAN, 2.0};  // 3 rows x 2 features
  std::vector<double> out(6, 0.0);
  PredictArgs a;
  a.x.f64 = x;
  a.x.rows = 3;
  a.x.cols = 2;
  a.forest = s.forest();
  a.tree_begin = 0;
  a.tree_end = 2;
  a.out = out.data();
  a.out_cols = 2;
  predict_forest(a);
  // tree 0: x1 <= 0.5 left (-1); tree 1: codes 0 and 2 left (-2), missing left
  const std::vector<double> want = {-1, -2, 1, 2, 1, -2};
  EXPECT_EQ(out, want);
}

TEST(ForestCheck, TreeRangeAndRoots) {
  TwoStumps s;
  EXPECT_EQ(s.check(2, 2, 0, 3), "tree range is outside the forest");
  EXPECT_EQ(s.check(2, 2, 2, 1), "tree range is outside the forest");
  s.roots[1] = 6;
  EXPECT_EQ(s.check(), "forest tree 1 has a root or output column out of range");
  EXPECT_EQ(s.check(2, 2, 0, 1), "");  // tree 1 is not walked
  s.roots[1] = -1;
  EXPECT_EQ(s.check(), "forest tree 1 has a root or output column out of range");
  s.roots[1] = 3;
  EXPECT_EQ(s.check(2, 1), "forest tree 1 has a root or output column out of range");  // column 1 of 1
  s.tree_column[0] = -1;
  EXPECT_EQ(s.check(), "forest tree 0 has a root or output column out of range");
}

TEST(ForestCheck, ChildrenAfterTheirParentAndInsideTheForest) {
  TwoStumps s;
  s.nodes[3].left = 3;  // a cycle
  EXPECT_EQ(s.check(), "forest node 3 is malformed (feature, children or category bits out of range)");
  s.nodes[3].left = 1;  // backwards, into another tree
  EXPECT_EQ(s.check(), "forest node 3 is malformed (feature, children or category bits out of range)");
  s.nodes[3].left = 5;  // the right child (left + 1) past the end
  EXPECT_EQ(s.check(), "forest node 3 is malformed (feature, children or category bits out of range)");
}

TEST(ForestCheck, LeavesStepToThemselves) {
  TwoStumps s;
  s.nodes[4].left = 5;
  EXPECT_EQ(s.check(), "forest node 4 is a malformed leaf");
  s.nodes[4] = {1.0, kNodeLeaf, 4};  // a finite threshold would send rows on
  EXPECT_EQ(s.check(), "forest node 4 is a malformed leaf");
  s.nodes[4] = {NAN, kNodeLeaf, 4};  // NaN: every row would step to node 5, then past the end
  EXPECT_EQ(s.check(), "forest node 4 is a malformed leaf");
  s.nodes[4] = {INFINITY, INT32_MIN, 4};  // not the leaf word
  EXPECT_EQ(s.check(), "forest node 4 is a malformed leaf");
}

TEST(ForestCheck, FeaturesAndWordBits) {
  TwoStumps s;
  EXPECT_EQ(s.check(1),
            "forest node 0 is malformed (feature, children or category bits out of range)");  // feature 1 of 1
  s.nodes[0].word = 1 | (1 << 25);                                                            // an unknown bit
  EXPECT_EQ(s.check(), "forest node 0 is malformed (feature, children or category bits out of range)");
}

TEST(ForestCheck, CategoryBitsInsideTheBitset) {
  TwoStumps s;
  s.cat_words[3] = 2;  // words 0-1 of a 1-word bitset
  EXPECT_EQ(s.check(), "forest node 3 is malformed (feature, children or category bits out of range)");
  s.cat_words[3] = 1;
  s.cat_offset[3] = 1;
  EXPECT_EQ(s.check(), "forest node 3 is malformed (feature, children or category bits out of range)");
  s.cat_offset[3] = -1;
  EXPECT_EQ(s.check(), "forest node 3 is malformed (feature, children or category bits out of range)");
  s.cat_offset[3] = 0;
  s.cat_words[3] = -1;
  EXPECT_EQ(s.check(), "forest node 3 is malformed (feature, children or category bits out of range)");
}

TEST(ForestCheck, OnlyNodesAWalkCanReach) {
  // Trees [1, 2) start at node 3: damage before it does not matter to them (a booster
  // predicting its newest trees), but does to a walk that includes tree 0.
  TwoStumps s;
  s.nodes[1].left = 0;
  EXPECT_EQ(s.check(2, 2, 1, 2), "");
  EXPECT_EQ(s.check(2, 2, 0, 2), "forest node 1 is a malformed leaf");
}

}  // namespace
