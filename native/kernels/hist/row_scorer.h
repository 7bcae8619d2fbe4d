// One row through a whole forest, for the latency path of synchronous single-row prediction:
// QuickScorer's bitvector traversal (Lucchese et al., SIGIR 2015) instead of a walk per tree.
// Each tree keeps a 64-bit word of the leaves (in left-to-right order) the row can still reach;
// every node the row passes to the right clears its left subtree's leaves, and the leftmost
// leaf left is the exit leaf. Beyond the paper, the masks are combined ahead of time into one
// per tree for each categorical (feature, code) and each interval between a numerical feature's
// distinct thresholds, so a row ANDs at most one mask per tree and feature (a binary search
// finds the interval); numerical features with too many (threshold, tree) pairs for such
// lists are scanned as in the paper, in ascending threshold up to the first the row passes left. Leaves, and hence sums, equal predict_forest's.
// Built once per prepared forest; forests with a tree of more than 64 leaves, or whose
// category tables would be too large, are not supported (build returns false: walk instead).
#pragma once
#include <cstdint>
#include <vector>

#include "hist.h"

namespace kiln::hist {

struct RowScorer {
  std::size_t p = 0, trees = 0;
  // Numerical features whose per-bucket lists fit: the distinct thresholds ascending
  // (cut[cut_offset[f] ..]); a value above b of them takes list cut_first[f] + b.
  std::vector<uint32_t> cut_offset, cut_first;  // p + 1, p
  std::vector<double> cut;
  // The other numerical nodes by feature, ascending threshold: the row sends node i right iff x > thr[i].
  std::vector<uint32_t> num_offset;  // p + 1
  std::vector<double> num_thr;
  std::vector<uint32_t> num_tree;
  std::vector<uint64_t> num_mask;
  // Numerical nodes that send a missing value (NaN) right, by feature.
  std::vector<uint32_t> nan_offset;  // p + 1
  std::vector<uint32_t> nan_tree;
  std::vector<uint64_t> nan_mask;
  // Categorical features: for code c in [0, cat_codes[f]) the list cat_list[cat_first[f] + c],
  // then one list for a missing value and one for any other value (out of range, not an integer).
  std::vector<uint32_t> cat_codes, cat_first;  // p each
  std::vector<uint32_t> list_offset;           // lists + 1
  std::vector<uint32_t> list_tree;
  std::vector<uint64_t> list_mask;
  std::vector<int32_t> leaf;  // trees x 64: node index of each tree's i-th leaf
};

// Builds the scorer of all of f's trees for rows of p features; false when unsupported.
bool build_row_scorer(const Forest& f, std::size_t p, RowScorer& s);

// out (out_cols) += the forest's trees on row x (p values), summed as predict_forest sums them.
void score_row(const RowScorer& s, const Forest& f, const double* x, double* out, std::size_t out_cols);

// The same by predict_forest's few-rows walk, without allocating: the fallback, and the reference.
void walk_row(const Forest& f, const double* x, double* out, std::size_t out_cols);

}  // namespace kiln::hist
