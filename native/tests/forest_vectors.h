// A forest held in vectors, for the kernel tests: forest() is the kernels' view of it.
#pragma once

#include <cstdint>
#include <vector>

#include "../kernels/hist/hist.h"

namespace kiln::hist::test_support {

struct ForestVectors {
  std::vector<Node> nodes;
  std::vector<int32_t> cat_offset, cat_words, roots, tree_column;
  std::vector<uint32_t> cat_bits;
  std::vector<double> value, tree_weight;
  int32_t channels = 1;

  Forest forest() const {
    Forest f;
    f.nodes = nodes.data();
    f.node_count = nodes.size();
    f.cat_offset = cat_offset.data();
    f.cat_words = cat_words.data();
    f.cat_bits = cat_bits.data();
    f.cat_bit_count = cat_bits.size();
    f.value = value.data();
    f.channels = channels;
    f.roots = roots.data();
    f.tree_column = tree_column.data();
    f.tree_weight = tree_weight.data();
    f.trees = roots.size();
    return f;
  }
};

}  // namespace kiln::hist::test_support
