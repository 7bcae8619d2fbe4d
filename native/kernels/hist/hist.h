// The histogram tree engine behind gradient boosting, random forests and decision
// trees. Features are pre-binned to uint8 (bin 0 = missing, 1..255 = values or
// categories), rows are row-major so one row's bins share a cache line.
//
// One call grows one tree leaf-wise: histograms of (gradient channels, hessian,
// count) per leaf, built multithreaded over rows or over features depending on the
// shape; the smaller child is built and the larger derived by subtraction from a
// bounded pool of parent histograms; split search by prefix scans with L1/L2
// regularisation, minimum data / hessian per leaf, missing values sent to the
// better side, categorical splits by ordering categories by gradient statistics.
// Optional quantised gradients (int8 with stochastic rounding, packed integer
// histograms) make every sum exact and order-independent. Pure C++.
#pragma once
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>

#include "../../runtime/rows.h"

namespace kiln::hist {

constexpr int kMaxBins = 256;  // per feature, bin 0 included

struct BinnedData {
  const uint8_t* bins = nullptr;     // n x p, row-major
  const uint8_t* columns = nullptr;  // optional p x n copy: partitions read one feature densely
  std::size_t n = 0, p = 0;
  const int32_t* bin_count = nullptr;    // p: number of bins per feature, missing bin included (2..256)
  const uint8_t* categorical = nullptr;  // p: 1 = categorical feature
};

struct TreeParams {
  int32_t max_leaves = 31;
  int32_t max_depth = -1;  // <= 0: unlimited
  int32_t min_data_in_leaf = 20;
  int32_t min_data_to_split = 0;  // a leaf with fewer rows is not split (scikit-learn's min_samples_split)
  double min_sum_hessian = 1e-3;
  double min_gain_to_split = 0;
  double lambda_l1 = 0, lambda_l2 = 0;
  double cat_smooth = 10, cat_l2 = 10;
  int32_t max_cat_to_onehot = 4;
  double feature_fraction_bynode = 1;  // share of allowed features drawn per node
  uint64_t seed = 0;                   // per-node feature draws and quantisation rounding
  int32_t quantized = 0;               // 1: int8 gradients with stochastic rounding (single channel only)
  int32_t random_thresholds = 0;       // 1: extra trees, one random threshold per numerical feature and node
};

// A grown tree, in arrays the caller sizes for 2 * max_leaves - 1 nodes.
struct TreeOut {
  int32_t* feature = nullptr;       // split feature, -1 for a leaf
  int32_t* threshold = nullptr;     // numerical: bins 1..threshold go left; categorical: unused (see cat_bits)
  uint8_t* default_left = nullptr;  // numerical: missing (bin 0) goes left
  uint8_t* is_categorical = nullptr;
  uint32_t* cat_bits = nullptr;  // 8 words per node: bins that go left (bin 0 = missing)
  int32_t* left = nullptr;
  int32_t* right = nullptr;
  double* value = nullptr;   // nodes x channels: -T(G)/(H + l2) for every node (leaves are what predictions use)
  double* gain = nullptr;    // split gain (0 for leaves)
  double* cover = nullptr;   // hessian sum of the node's rows
  int32_t* count = nullptr;  // rows in the node
  int32_t* depth = nullptr;
  int32_t* num_nodes = nullptr;  // 1
};

struct GrowArgs {
  BinnedData data;
  // Gradient channels then hessian per row: n x (channels + 1), f64.
  const double* grad_hess = nullptr;
  int32_t channels = 1;
  // Rows to grow from (bagging), or null for all rows; row_count entries.
  const int32_t* rows = nullptr;
  std::size_t row_count = 0;
  const uint8_t* feature_allowed = nullptr;  // p, or null for all (per-tree subsampling)
  // Monotonic constraints per feature (-1, 0, 1; single channel), or null: split rejection and
  // leaf value bounds as scikit-learn's HistGradientBoosting.
  const int8_t* monotone = nullptr;
  // Interaction constraints (scikit-learn's interaction_cst), or null: interaction_groups rows of
  // p flags; a node may split on the features of the groups holding every feature split on above it.
  const uint8_t* interaction = nullptr;
  int32_t interaction_groups = 0;
  TreeParams params;
  TreeOut out;
  // Optional: scores (n x score_stride, column score_column) += scale * leaf value, for every row
  // (rows outside `rows` are routed through the tree on their bins).
  double* scores = nullptr;
  std::size_t score_stride = 1, score_column = 0;
  double scale = 1;
  // Optional: the leaf of each grown-from row (n entries, -1 for rows not in `rows`).
  int32_t* leaf_of_row = nullptr;
};

void grow_tree(const GrowArgs& a);

// Bins raw columns: numerical feature f uses the sorted upper edges
// edges[edge_offset[f] .. edge_offset[f+1]) (x <= edge k  <=>  bin <= k + 1; NaN -> 0);
// a categorical feature maps integer code c in [0, table size) through
// cat_table[cat_offset[f] + c] (codes outside the table or non-integers -> 0 as missing).
struct BinArgs {
  runtime::Rows x;  // n x p raw values
  const double* edges = nullptr;
  const int32_t* edge_offset = nullptr;  // p + 1
  const uint8_t* categorical = nullptr;  // p
  const uint8_t* cat_table = nullptr;
  const int32_t* cat_offset = nullptr;  // p + 1
  uint8_t* out = nullptr;               // n x p
  uint8_t* out_columns = nullptr;       // optional: the same bins feature-major, p x n
};

void bin_columns(const BinArgs& a);

// The sample the bin edges come from (models/tree/binning.ts): k of the n rows drawn as
// src/core/prng.ts's Rng.sampleIndices(n, k) draws them from the generator state `state`
// (xoshiro128**; the same rows, ascending), then each listed feature's values on those rows, NaNs
// dropped: feature c's first counts[c] values at values[c * k ...], in row order.
struct BinSampleArgs {
  runtime::Rows x;  // n x p raw values
  const int32_t* features = nullptr;
  std::size_t feature_count = 0;
  uint32_t state[4] = {0, 0, 0, 0};
  std::size_t k = 0;          // rows drawn, at most n
  double* values = nullptr;   // feature_count x k
  int32_t* counts = nullptr;  // feature_count
};

void bin_sample(const BinSampleArgs& a);

// Gradients and hessians of a boosting loss at the current raw scores.
// Quantile, Poisson, Gamma and Tweedie as scikit-learn's half losses (HalfPoissonLoss, ...) without
// their constant terms; the last three on the log link (scores are log means).
enum class Loss : int32_t {
  Logistic = 0,
  Softmax = 1,
  Squared = 2,
  Absolute = 3,
  Huber = 4,
  Quantile = 5,
  Poisson = 6,
  Gamma = 7,
  Tweedie = 8
};
constexpr int32_t kLastLoss = 8;

struct GradArgs {
  Loss loss = Loss::Squared;
  std::size_t n = 0, k = 1;        // k: score columns (classes for softmax, else 1)
  const double* y = nullptr;       // n: target, or class code for logistic / softmax
  const double* scores = nullptr;  // n x k
  const double* w = nullptr;       // n sample weights, or null
  double param = 1;                // the loss's parameter: Huber's delta, the quantile's alpha, Tweedie's power
  double* grad_hess = nullptr;     // k blocks of n x 2 (class c's block starts at c * 2n)
  double* loss_sum = nullptr;      // 1: weighted loss summed over rows
  uint32_t* goss_keys = nullptr;   // optional, n: the GOSS keys of the gradients written (sample.h)
};

// Returns how many rows of a logistic or softmax loss have a label that is not a class code (an
// integer in [0, classes)): their gradients mean nothing, and the call must fail.
std::size_t gradients(const GradArgs& a);

// The first i whose y[i] is not a class code (an integer in [0, classes)), or n when all are: the
// error message of a gradients call that found some.
std::size_t first_bad_class_code(const double* y, std::size_t n, double classes);

// LambdaRank gradients (LightGBM's lambdarank objective): per query, every pair of items with
// different relevance whose better-scored item ranks in the top `truncation` contributes
// sigma-scaled RankNet gradients weighted by |delta NDCG| (gain 2^rel - 1, discount
// 1 / log2(2 + rank), normalised by the ideal DCG at `truncation`); queries whose labels are all
// equal contribute nothing. With `norm`, each query's lambdas are scaled by log2(1 + S) / S (S:
// their summed magnitude) and pair weights divided by 0.01 + |score gap| (LightGBM's
// lambdarank_norm). Queries run in parallel; each writes only its own rows, so the result does
// not depend on the thread count.
struct RankArgs {
  std::size_t n = 0, queries = 0;
  const double* y = nullptr;              // n relevance labels, integers in [0, 31]
  const double* scores = nullptr;         // n
  const int32_t* query_offset = nullptr;  // queries + 1: query q holds rows [offset[q], offset[q + 1])
  double sigma = 1;
  std::size_t truncation = 30;
  bool norm = true;
  std::size_t eval_at = 10;     // k of the NDCG@k summed into loss_sum
  double* grad_hess = nullptr;  // n x 2
  double* loss_sum = nullptr;   // 1: sum over queries of 1 - NDCG@eval_at (a query of equal labels scores 1)
};

void lambdarank_gradients(const RankArgs& a);

// A flattened forest for prediction on raw values: one 16-byte record per node. The layout and
// the word bits below are defined once for TypeScript in src/backend/contract/hist.ts
// (HIST_NODE_*); shaders/forest.wgsl repeats them, and test/backend-contract.test.ts holds the
// three to the same values.
// A leaf is a node that steps to itself whatever the row: word kNodeLeaf (feature bits 0,
// missing goes left), left = its own index, threshold +inf. So rows walk a tree side by side without a branch
// per row, and the walk ends when every row stands on a leaf.
struct Node {
  double threshold;  // numerical: x <= threshold goes left
  int32_t word;      // kNodeLeaf, or the feature | kNodeCategorical | kNodeMissingLeft
  int32_t left;      // absolute index of the left child; the right child is left + 1
};
constexpr int32_t kNodeLeaf = INT32_MIN | (1 << 29);  // kNodeMissingLeft: a NaN in feature 0 stays too
constexpr int32_t kNodeCategorical = 1 << 30;
constexpr int32_t kNodeMissingLeft = 1 << 29;
constexpr int32_t kNodeFeatureMask = (1 << 24) - 1;

struct Forest {
  const Node* nodes = nullptr;
  std::size_t node_count = 0, cat_bit_count = 0;
  const int32_t* cat_offset = nullptr;  // categorical: first word in cat_words
  const int32_t* cat_words = nullptr;   // categorical: number of words (codes < 32 * words)
  const uint32_t* cat_bits = nullptr;   // codes that go left; missing goes left when flag bit 0
  const double* value = nullptr;        // nodes x channels
  int32_t channels = 1;
  const int32_t* roots = nullptr;        // per tree
  const int32_t* tree_column = nullptr;  // output column per tree
  const double* tree_weight = nullptr;   // per tree scale (learning rate, 1 / trees for forests)
  std::size_t trees = 0;
};

// Checks the structure of what a walk of trees [tree_begin, tree_end) of `f` can reach, for rows
// of p features and outputs of out_cols columns: each tree's root inside the forest and its output
// columns inside out_cols; children after their parent (no cycles) and inside the forest; leaves
// that step to themselves; feature indices below p and no unknown word bits; category bitsets
// inside cat_bits. Children always lie after their parent, so the nodes from the first of those
// trees' roots to the end are all a walk can visit: a booster predicting its newest trees checks
// only those. The arrays must have the lengths Forest states (node_count, trees, cat_bit_count,
// node_count x channels values) and channels must be at least 1: the binding checks those.
// Returns "" when the walk is safe, else what is wrong, for an error message.
std::string check_forest(const Forest& f, std::size_t p, std::size_t out_cols, std::size_t tree_begin,
                         std::size_t tree_end);

struct PredictArgs {
  runtime::Rows x;  // n x p raw values
  Forest forest;
  std::size_t tree_begin = 0, tree_end = 0;
  double* out = nullptr;  // n x out_cols, accumulated into
  std::size_t out_cols = 1;
  int32_t* leaf_index = nullptr;  // optional: n x (tree_end - tree_begin) leaf node indices (apply)
};

void predict_forest(const PredictArgs& a);

}  // namespace kiln::hist
