// Structural checks of a flattened forest (see hist.h), before any walk trusts its indices.
#include <algorithm>
#include <cmath>
#include <string>

#include "hist.h"

namespace kiln::hist {

std::string check_forest(const Forest& f, std::size_t p, std::size_t out_cols, std::size_t tree_begin,
                         std::size_t tree_end) {
  if (tree_begin > tree_end || tree_end > f.trees) return "tree range is outside the forest";
  const std::size_t nodes = f.node_count;
  std::size_t first = nodes;
  for (std::size_t t = tree_begin; t < tree_end; ++t) {
    if (f.roots[t] < 0 || static_cast<std::size_t>(f.roots[t]) >= nodes || f.tree_column[t] < 0 ||
        static_cast<std::size_t>(f.tree_column[t]) + f.channels > out_cols)
      return "forest tree " + std::to_string(t) + " has a root or output column out of range";
    first = std::min(first, static_cast<std::size_t>(f.roots[t]));
  }
  for (std::size_t i = first; i < nodes; ++i) {
    const Node& nd = f.nodes[i];
    if (nd.word < 0) {  // a leaf must step to itself (a NaN threshold would send every row right)
      if (nd.word != kNodeLeaf || nd.left != static_cast<int32_t>(i) || !(nd.threshold == INFINITY))
        return "forest node " + std::to_string(i) + " is a malformed leaf";
      continue;
    }
    const bool ok = static_cast<std::size_t>(nd.word & kNodeFeatureMask) < p &&
                    (nd.word & ~(kNodeFeatureMask | kNodeCategorical | kNodeMissingLeft)) == 0 &&
                    nd.left > static_cast<int32_t>(i) && static_cast<std::size_t>(nd.left) + 1 < nodes &&
                    (!(nd.word & kNodeCategorical) ||
                     (f.cat_offset[i] >= 0 && f.cat_words[i] >= 0 &&
                      static_cast<std::size_t>(f.cat_offset[i]) + f.cat_words[i] <= f.cat_bit_count));
    if (!ok)
      return "forest node " + std::to_string(i) + " is malformed (feature, children or category bits out of range)";
  }
  return "";
}

}  // namespace kiln::hist
