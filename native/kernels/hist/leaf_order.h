// QuickScorer's numbering of a tree (Lucchese et al., SIGIR 2015), shared by the row scorer (raw
// values, packed forests) and the grower's score update (bins): the leaves numbered left to
// right, and for each inner node the leaves a row can still reach once it goes right there (all
// but the left subtree's). A row's leaf is then the lowest bit left after the masks of the nodes
// it passes right.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace kiln::hist {

constexpr std::size_t kMaxMaskLeaves = 64;  // one 64-bit word of leaves

// Walks the tree from `root` with an explicit stack (a deep tree cannot overflow the call stack):
// children(node) gives {left, right}, left < 0 for a leaf; on_leaf(node, number) for each leaf
// in order, on_inner(node, mask) for each inner node. Returns false, early, at a 65th leaf.
template <typename Children, typename OnLeaf, typename OnInner>
bool number_leaves(int32_t root, const Children& children, const OnLeaf& on_leaf, const OnInner& on_inner) {
  struct Frame {
    int32_t node;
    int32_t first;  // first leaf number under the node
    int stage;      // 0: descend left, 1: descend right, 2: done
  };
  std::vector<Frame> stack{{root, 0, 0}};
  int32_t next = 0;
  while (!stack.empty()) {
    Frame& fr = stack.back();
    const std::pair<int32_t, int32_t> kids = children(fr.node);
    if (kids.first < 0) {
      if (static_cast<std::size_t>(next) >= kMaxMaskLeaves) return false;
      on_leaf(fr.node, next++);
      stack.pop_back();
      continue;
    }
    if (fr.stage == 0) {
      fr.first = next;
      fr.stage = 1;
      stack.push_back({kids.first, 0, 0});
    } else if (fr.stage == 1) {
      uint64_t mask = ~uint64_t{0};
      for (int32_t i = fr.first; i < next; ++i) mask &= ~(uint64_t{1} << i);
      on_inner(fr.node, mask);
      fr.stage = 2;
      stack.push_back({kids.second, 0, 0});
    } else {
      stack.pop_back();
    }
  }
  return true;
}

}  // namespace kiln::hist
