// Every row's score plus one grown tree's leaf value, the rows routed through the tree on their
// bins: the grower's update when it grew from a sample of the rows (bagging, GOSS), so the rows
// outside the sample have no leaf list to follow.
#pragma once
#include <cstddef>

#include "hist.h"

namespace kiln::hist {

// scores[r · stride + col] += scale · out.value[leaf · channels] for rows 0..data.n-1, the sum
// rounded as that expression (bit for bit what the leaf lists give).
void add_tree_to_scores(const TreeOut& out, int32_t num_nodes, int32_t channels, const BinnedData& data, double scale,
                        double* scores, std::size_t stride, std::size_t col);

}  // namespace kiln::hist
