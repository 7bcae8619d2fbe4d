#include "hist_binding.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "../kernels/hist/hist.h"
#include "../kernels/hist/quantize.h"
#include "../kernels/hist/row_scorer.h"
#include "../kernels/hist/sample.h"
#include "../runtime/simd_clones.h"
#include "args.h"
#include "promise_worker.h"

namespace kiln::binding {

namespace {

// The largest of n indices as unsigned (a negative one reads as larger than any row count): the
// check of a sampled tree's row list, on the main thread every round, so a loop that vectorises.
KILN_CLONES uint32_t largest_index(const int32_t* rows, std::size_t n) {
  uint32_t largest = 0;
  for (std::size_t i = 0; i < n; ++i) largest = std::max(largest, static_cast<uint32_t>(rows[i]));
  return largest;
}

using hist::kMaxBins;

Job parse_HistBin(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  hist::BinArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), p = dim_arg(info, 2, "p");
  const std::size_t np = checked_product(env, n, p, "x");
  std::vector<Napi::Value> held;
  a.x = rows_arg(info, 0, "x", n, p, held);
  a.edge_offset = array_arg<int32_t>(info, 4, "edgeOffset", p + 1, held);
  Napi::TypedArray edges = typed_array_arg(info, 3, "edges", napi_float64_array);
  held.push_back(edges);
  const std::size_t edge_len = edges.ElementLength();
  a.edges = edges.As<Napi::Float64Array>().Data();
  a.categorical = array_arg<uint8_t>(info, 5, "categorical", p, held);
  Napi::TypedArray table = typed_array_arg(info, 6, "catTable", napi_uint8_array);
  held.push_back(table);
  const std::size_t table_len = table.ElementLength();
  a.cat_table = table.As<Napi::Uint8Array>().Data();
  a.cat_offset = array_arg<int32_t>(info, 7, "catOffset", p + 1, held);
  for (std::size_t f = 0; f < p; ++f) {
    const bool edges_ok = a.edge_offset[f] >= 0 && a.edge_offset[f] <= a.edge_offset[f + 1] &&
                          static_cast<std::size_t>(a.edge_offset[f + 1]) <= edge_len &&
                          a.edge_offset[f + 1] - a.edge_offset[f] < kMaxBins - 1;
    const bool table_ok = a.cat_offset[f] >= 0 && a.cat_offset[f] <= a.cat_offset[f + 1] &&
                          static_cast<std::size_t>(a.cat_offset[f + 1]) <= table_len;
    if (!edges_ok || !table_ok)
      throw_coded(env, "E_PARAM", "bin edges / category table of feature " + std::to_string(f) + " are inconsistent");
  }
  a.out = array_arg<uint8_t>(info, 8, "out", np, held);
  if (!absent(info, 9)) a.out_columns = array_arg<uint8_t>(info, 9, "outColumns", np, held);
  return Job{[a] { hist::bin_columns(a); }, held};
}

Job parse_HistGrow(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw_coded(env, "E_PARAM", "histGrow takes an options object");
  std::vector<Napi::Value> held;
  const ObjectArgs o(env, info[0].As<Napi::Object>(), held);
  hist::GrowArgs a;
  a.data.n = o.dim("n");
  a.data.p = o.dim("p");
  const std::size_t n = a.data.n, p = a.data.p;
  if (n == 0 || p == 0) throw_coded(env, "E_EMPTY", "histGrow needs at least one row and one feature");
  a.data.bins = o.array<uint8_t>("bins", checked_product(env, n, p, "bins"));
  a.data.columns = o.optional_array<uint8_t>("columns", n * p);
  a.data.bin_count = o.array<int32_t>("binCount", p);
  for (std::size_t f = 0; f < p; ++f)
    if (a.data.bin_count[f] < 1 || a.data.bin_count[f] > kMaxBins)
      throw_coded(env, "E_PARAM", "binCount must be in [1, 256]");
  a.data.categorical = o.array<uint8_t>("categorical", p);
  a.channels = static_cast<int32_t>(o.dim("channels"));
  if (a.channels < 1 || a.channels > 4096) throw_coded(env, "E_PARAM", "channels must be in [1, 4096]");
  a.grad_hess = o.array<double>("gradHess", checked_product(env, n, a.channels + 1, "gradHess"));
  if (o.present("rows")) {
    a.row_count = o.length("rows");
    a.rows = o.array<int32_t>("rows", a.row_count);
    if (a.row_count == 0) throw_coded(env, "E_EMPTY", "rows is empty");
    if (largest_index(a.rows, a.row_count) >= n) throw_coded(env, "E_PARAM", "rows holds an index outside [0, n)");
  }
  a.feature_allowed = o.optional_array<uint8_t>("featureAllowed", p);
  a.monotone = o.optional_array<int8_t>("monotone", p);
  if (o.present("interaction")) {
    a.interaction_groups = static_cast<int32_t>(o.dim("interactionGroups"));
    if (a.interaction_groups < 1) throw_coded(env, "E_PARAM", "interactionGroups must be at least 1");
    a.interaction = o.array<uint8_t>("interaction", checked_product(env, a.interaction_groups, p, "interaction"));
  }
  if (a.monotone != nullptr) {
    if (a.channels != 1) throw_coded(env, "E_PARAM", "monotonic constraints need a single channel");
    for (std::size_t f = 0; f < p; ++f)
      if (a.monotone[f] < -1 || a.monotone[f] > 1) throw_coded(env, "E_PARAM", "monotone entries must be -1, 0 or 1");
  }

  const ObjectArgs q = o.object("params");
  hist::TreeParams& t = a.params;
  t.max_leaves = static_cast<int32_t>(q.dim("maxLeaves"));
  if (t.max_leaves < 1) throw_coded(env, "E_PARAM", "maxLeaves must be at least 1");
  t.max_depth = static_cast<int32_t>(q.number("maxDepth"));
  t.min_data_in_leaf = static_cast<int32_t>(q.dim("minDataInLeaf"));
  t.min_data_to_split = static_cast<int32_t>(q.dim("minDataToSplit"));
  t.min_sum_hessian = q.number("minSumHessianInLeaf");
  t.min_gain_to_split = q.number("minGainToSplit");
  t.lambda_l1 = q.number("lambdaL1");
  t.lambda_l2 = q.number("lambdaL2");
  t.cat_smooth = q.number("catSmooth");
  t.cat_l2 = q.number("catL2");
  t.max_cat_to_onehot = static_cast<int32_t>(q.dim("maxCatToOnehot"));
  t.feature_fraction_bynode = q.number("featureFractionByNode");
  t.seed = static_cast<uint64_t>(q.dim("seed"));
  t.quantized = q.number("quantized") != 0 ? 1 : 0;
  t.random_thresholds = q.number("randomThresholds") != 0 ? 1 : 0;
  if (t.quantized && a.channels != 1) throw_coded(env, "E_PARAM", "quantised gradients need a single channel");
  if (t.quantized && (a.rows != nullptr ? a.row_count : n) > 16000000)
    throw_coded(env, "E_PARAM",
                "quantised gradients support at most 16,000,000 rows per tree (integer sums would overflow)");

  const std::size_t cap = 2 * static_cast<std::size_t>(t.max_leaves) - 1;
  const ObjectArgs out = o.object("out");
  hist::TreeOut& r = a.out;
  r.feature = out.array<int32_t>("feature", cap);
  r.threshold = out.array<int32_t>("threshold", cap);
  r.default_left = out.array<uint8_t>("defaultLeft", cap);
  r.is_categorical = out.array<uint8_t>("isCategorical", cap);
  r.cat_bits = out.array<uint32_t>("catBits", cap * 8);
  r.left = out.array<int32_t>("left", cap);
  r.right = out.array<int32_t>("right", cap);
  r.value = out.array<double>("value", checked_product(env, cap, a.channels, "value"));
  r.gain = out.array<double>("gain", cap);
  r.cover = out.array<double>("cover", cap);
  r.count = out.array<int32_t>("count", cap);
  r.depth = out.array<int32_t>("depth", cap);
  r.num_nodes = out.array<int32_t>("numNodes", 1);

  if (o.present("scores")) {
    a.score_stride = o.dim("scoreStride");
    a.score_column = o.dim("scoreColumn");
    if (a.score_column >= a.score_stride || a.channels != 1)
      throw_coded(env, "E_PARAM", "scoreColumn must be below scoreStride (single-channel trees)");
    a.scores = o.array<double>("scores", checked_product(env, n, a.score_stride, "scores"));
    a.scale = o.number("scale");
  }
  a.leaf_of_row = o.optional_array<int32_t>("leafOfRow", n);
  return Job{[a] { hist::grow_tree(a); }, held};
}

// histGradients(loss, n, k, y, scores, w|null, lossParam, gradHess Float64Array(2nk), lossSum
// Float64Array(1), gossKeys Uint32Array(n)|undefined): gradients, the loss sum, and the GOSS keys
// of the gradients when asked for (histSampleRows then reads them instead of the gradients).
Job parse_HistGradients(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  hist::GradArgs a;
  const std::size_t loss = dim_arg(info, 0, "loss");
  if (loss > static_cast<std::size_t>(hist::kLastLoss)) throw_coded(env, "E_PARAM", "unknown loss code");
  a.loss = static_cast<hist::Loss>(loss);
  a.n = dim_arg(info, 1, "n");
  a.k = dim_arg(info, 2, "k");
  if (a.k < 1 || (a.loss != hist::Loss::Softmax && a.k != 1))
    throw_coded(env, "E_PARAM", "k must be 1 (or the classes for softmax)");
  std::vector<Napi::Value> held;
  a.y = f64_out(info, 3, "y", a.n, held);
  a.scores = f64_out(info, 4, "scores", checked_product(env, a.n, a.k, "scores"), held);
  if (!absent(info, 5)) a.w = f64_out(info, 5, "w", a.n, held);
  a.param = number_arg(info, 6, "lossParam");
  if (a.loss == hist::Loss::Quantile && !(a.param > 0 && a.param < 1))
    throw_coded(env, "E_PARAM", "lossParam (the quantile's alpha) must be in (0, 1)");
  if (a.loss == hist::Loss::Tweedie && !(a.param > 1 && a.param < 2))
    throw_coded(env, "E_PARAM", "lossParam (Tweedie's power) must be in (1, 2)");
  a.grad_hess = f64_out(info, 7, "gradHess", checked_product(env, a.n * a.k, 2, "gradHess"), held);
  a.loss_sum = f64_out(info, 8, "lossSum", 1, held);
  if (!absent(info, 9)) a.goss_keys = array_arg<uint32_t>(info, 9, "gossKeys", a.n, held);
  if (a.loss == hist::Loss::Poisson || a.loss == hist::Loss::Gamma || a.loss == hist::Loss::Tweedie) {
    const bool positive = a.loss == hist::Loss::Gamma;  // the gamma deviance needs y > 0, the others y >= 0
    for (std::size_t i = 0; i < a.n; ++i)
      if (!(positive ? a.y[i] > 0 : a.y[i] >= 0) || !std::isfinite(a.y[i]))
        throw_coded(env, "E_PARAM",
                    "y[" + std::to_string(i) + "] must be a finite number " + (positive ? "> 0" : ">= 0"));
  }
  // Class codes are checked by the kernel as it reads them (a pass of its own on the main thread
  // cost ~1 ms a round on 2.4M rows); a failure names the first bad one.
  return Job{[a] {
               if (hist::gradients(a) == 0) return;
               const double classes = a.loss == hist::Loss::Logistic ? 2 : static_cast<double>(a.k);
               const std::size_t i = hist::first_bad_class_code(a.y, a.n, classes);
               throw KernelInputError("E_PARAM", "y[" + std::to_string(i) + "] is not a class code in [0, " +
                                                     std::to_string(static_cast<int>(classes)) + ")");
             },
             held};
}

// histRankGradients(n, y, scores, queryOffset Int32Array(queries + 1), sigma, truncation, norm,
// evalAt, gradHess Float64Array(2n), lossSum Float64Array(1)).
Job parse_HistRankGradients(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  hist::RankArgs a;
  a.n = dim_arg(info, 0, "n");
  std::vector<Napi::Value> held;
  a.y = f64_out(info, 1, "y", a.n, held);
  a.scores = f64_out(info, 2, "scores", a.n, held);
  Napi::TypedArray offsets = typed_array_arg(info, 3, "queryOffset", napi_int32_array);
  held.push_back(offsets);
  if (offsets.ElementLength() < 2) throw_coded(env, "E_PARAM", "queryOffset needs at least one query");
  a.queries = offsets.ElementLength() - 1;
  a.query_offset = offsets.As<Napi::Int32Array>().Data();
  if (a.query_offset[0] != 0 || static_cast<std::size_t>(a.query_offset[a.queries]) != a.n)
    throw_coded(env, "E_PARAM", "queryOffset must start at 0 and end at n");
  for (std::size_t q = 0; q < a.queries; ++q)
    if (!(a.query_offset[q + 1] > a.query_offset[q]))
      throw_coded(env, "E_PARAM", "queryOffset must increase (query " + std::to_string(q) + " is empty)");
  a.sigma = number_arg(info, 4, "sigma");
  if (!(a.sigma > 0)) throw_coded(env, "E_PARAM", "sigma must be > 0");
  a.truncation = dim_arg(info, 5, "truncation");
  a.norm = bool_arg(info, 6, "norm");
  a.eval_at = dim_arg(info, 7, "evalAt");
  if (a.truncation < 1 || a.eval_at < 1) throw_coded(env, "E_PARAM", "truncation and evalAt must be >= 1");
  a.grad_hess = f64_out(info, 8, "gradHess", checked_product(env, a.n, 2, "gradHess"), held);
  a.loss_sum = f64_out(info, 9, "lossSum", 1, held);
  for (std::size_t i = 0; i < a.n; ++i)
    if (!(a.y[i] >= 0 && a.y[i] <= 31 && a.y[i] == std::floor(a.y[i])))
      throw_coded(env, "E_PARAM", "y[" + std::to_string(i) + "] must be an integer relevance in [0, 31]");
  for (std::size_t i = 0; i < a.n; ++i)
    if (!std::isfinite(a.scores[i])) throw_coded(env, "E_PARAM", "scores[" + std::to_string(i) + "] is not finite");
  return Job{[a] { hist::lambdarank_gradients(a); }, held};
}

// Reads a forest object (see HistForest in src/backend/backend.ts): the arrays' lengths here,
// the structure of what a walk of trees [tree_begin, tree_end) can reach in hist::check_forest.
hist::Forest read_forest(Napi::Env env, Napi::Value value, std::size_t p, std::size_t out_cols,
                         std::vector<Napi::Value>& held, std::size_t tree_begin, std::size_t tree_end) {
  const ObjectArgs o(env, object_value(env, value, "forest"), held);
  hist::Forest f;
  const std::size_t nodes = o.length("nodes") / 2, trees = o.length("roots");
  f.channels = static_cast<int32_t>(o.dim("channels"));
  if (f.channels < 1) throw_coded(env, "E_PARAM", "channels must be at least 1");
  static_assert(sizeof(hist::Node) == 2 * sizeof(double), "a node is two f64 slots");
  f.nodes = reinterpret_cast<const hist::Node*>(o.array<double>("nodes", 2 * nodes));
  f.node_count = nodes;
  f.cat_offset = o.array<int32_t>("catOffset", nodes);
  f.cat_words = o.array<int32_t>("catWords", nodes);
  f.cat_bit_count = o.length("catBits");
  f.cat_bits = o.array<uint32_t>("catBits", f.cat_bit_count);
  f.value = o.array<double>("value", checked_product(env, nodes, f.channels, "value"));
  f.roots = o.array<int32_t>("roots", trees);
  f.tree_column = o.array<int32_t>("treeColumn", trees);
  f.tree_weight = o.array<double>("treeWeight", trees);
  f.trees = trees;
  if (tree_end == SIZE_MAX) tree_end = trees;
  if (tree_begin > tree_end || tree_end > trees) throw_coded(env, "E_PARAM", "tree range is outside the forest");
  // Every step of a walk reads a feature, leaves included (feature 0).
  if (p == 0 && tree_begin < tree_end)
    throw_coded(env, "E_EMPTY", "forest prediction needs rows of at least one feature");
  const std::string fault = hist::check_forest(f, p, out_cols, tree_begin, tree_end);
  if (!fault.empty()) throw_coded(env, "E_MODEL_FORMAT", fault);
  return f;
}

Job parse_HistPredict(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  hist::PredictArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), p = dim_arg(info, 2, "p");
  std::vector<Napi::Value> held;
  a.x = rows_arg(info, 0, "x", n, p, held);
  a.out_cols = dim_arg(info, 7, "outCols");
  a.tree_begin = dim_arg(info, 4, "treeBegin");
  a.tree_end = dim_arg(info, 5, "treeEnd");
  a.forest = read_forest(env, info[3], p, a.out_cols, held, a.tree_begin, a.tree_end);
  if (!absent(info, 6)) a.out = f64_out(info, 6, "out", checked_product(env, n, a.out_cols, "out"), held);
  if (!absent(info, 8))
    a.leaf_index =
        array_arg<int32_t>(info, 8, "leafIndex", checked_product(env, n, a.tree_end - a.tree_begin, "leafIndex"), held);
  return Job{[a] { hist::predict_forest(a); }, held};
}

// A forest checked and copied once, for many small synchronous predictions.
struct PreparedForest {
  std::vector<hist::Node> nodes;
  std::vector<int32_t> cat_offset, cat_words, roots, tree_column;
  std::vector<uint32_t> cat_bits;
  std::vector<double> value, tree_weight;
  hist::Forest forest;
  std::size_t p = 0, out_cols = 0;
  hist::RowScorer scorer;  // the single-row path, when the forest suits it (scorer_ok)
  bool scorer_ok = false;
  // The single-row buffer bound by histForestBindRow: the row (p values), then the scores (out_cols).
  Napi::Reference<Napi::Float64Array> row_ref;
  double* row = nullptr;
};

template <typename T>
std::vector<T> copy_of(const T* data, std::size_t n) {
  return std::vector<T>(data, data + n);
}

// histSampleRows(gradHess Float64Array(2nk)|null, n, k, goss, rate, topRate, otherRate, seed,
// out Int32Array(n), count Float64Array(1), keys Uint32Array(n)|undefined): the rows kept, written
// to out in sample.h's order, and their number in count[0]; keys: GOSS keys histGradients wrote.
Job parse_HistSampleRows(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  hist::SampleArgs a;
  a.n = dim_arg(info, 1, "n");
  a.k = dim_arg(info, 2, "k");
  a.goss = bool_arg(info, 3, "goss");
  a.rate = number_arg(info, 4, "rate");
  a.top_rate = number_arg(info, 5, "topRate");
  a.other_rate = number_arg(info, 6, "otherRate");
  a.seed = static_cast<uint32_t>(dim_arg(info, 7, "seed"));
  const auto share = [&](double v, bool zero_ok, const char* name) {
    if (!((zero_ok ? v >= 0 : v > 0) && v <= 1))
      throw_coded(env, "E_PARAM", std::string(name) + " must be in " + (zero_ok ? "[0, 1]" : "(0, 1]"));
  };
  share(a.rate, false, "rate");
  share(a.top_rate, false, "topRate");
  share(a.other_rate, true, "otherRate");
  if (a.n == 0 || a.k == 0) throw_coded(env, "E_SHAPE", "histSampleRows needs at least one row and one class block");
  if (a.goss)
    a.grad_hess = f64_out(info, 0, "gradHess",
                          checked_product(env, checked_product(env, a.n, a.k, "gradHess"), 2, "gradHess"), held);
  a.out = array_arg<int32_t>(info, 8, "out", a.n, held);
  double* count = f64_out(info, 9, "count", 1, held);
  if (a.goss && !absent(info, 10)) a.keys = array_arg<uint32_t>(info, 10, "keys", a.n, held);
  return Job{[a, count] { *count = static_cast<double>(hist::sample_rows(a)); }, held};
}

}  // namespace

KILN_ASYNC_AND_SYNC(HistBin, "histBin")
KILN_ASYNC_AND_SYNC(HistGrow, "histGrow")
KILN_ASYNC_AND_SYNC(HistGradients, "histGradients")
KILN_ASYNC_AND_SYNC(HistRankGradients, "histRankGradients")
KILN_ASYNC_AND_SYNC(HistPredict, "histPredict")
KILN_ASYNC_AND_SYNC(HistSampleRows, "histSampleRows")

// histQuantizeSync(gradHess Float64Array(2n), n, rows Int32Array|null, seed, out Int32Array(m), info Float64Array(4)).
Napi::Value HistQuantizeSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  hist::Quant16Args a;
  const std::size_t n = dim_arg(info, 1, "n");
  a.grad_hess = f64_out(info, 0, "gradHess", checked_product(env, n, 2, "gradHess"), held);
  a.m = n;
  if (!absent(info, 2)) {
    a.m = info[2].IsTypedArray() ? info[2].As<Napi::TypedArray>().ElementLength() : 0;
    a.rows = index_array_arg(info, 2, "rows", a.m, n, held);
  }
  a.seed = dim_arg(info, 3, "seed");
  Napi::TypedArray out = typed_array_arg(info, 4, "out", napi_int32_array, a.m);
  a.out = out.As<Napi::Int32Array>().Data();
  a.info = f64_out(info, 5, "info", 4, held);
  hist::quantize_packed16(a);
  return env.Undefined();
}

// histBinSampleSync(x, n, p, features Int32Array(f), state Uint32Array(4), k, values Float64Array(f*k),
// counts Int32Array(f)).
Napi::Value HistBinSampleSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  hist::BinSampleArgs a;
  const std::size_t n = dim_arg(info, 1, "n"), p = dim_arg(info, 2, "p");
  checked_product(env, n, p, "x");
  a.x = rows_arg(info, 0, "x", n, p, held);
  a.feature_count = info[3].IsTypedArray() ? info[3].As<Napi::TypedArray>().ElementLength() : 0;
  a.features = index_array_arg(info, 3, "features", a.feature_count, p, held);
  const uint32_t* state = array_arg<uint32_t>(info, 4, "state", 4, held);
  std::copy(state, state + 4, a.state);
  a.k = dim_arg(info, 5, "k");
  if (a.k > n) throw_coded(env, "E_PARAM", "binSample: k = " + std::to_string(a.k) + " rows of " + std::to_string(n));
  a.values = f64_out(info, 6, "values", checked_product(env, a.feature_count, a.k, "values"), held);
  a.counts = array_arg<int32_t>(info, 7, "counts", a.feature_count, held);
  hist::bin_sample(a);
  return env.Undefined();
}

// histForestPrepare(forest, p, outCols): an opaque handle to a checked copy of the forest.
Napi::Value HistForestPrepare(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<Napi::Value> held;
  const std::size_t p = dim_arg(info, 1, "p"), out_cols = dim_arg(info, 2, "outCols");
  const hist::Forest f = read_forest(env, info[0], p, out_cols, held, 0, SIZE_MAX);
  auto* pf = new PreparedForest();
  pf->nodes = copy_of(f.nodes, f.node_count);
  pf->cat_offset = copy_of(f.cat_offset, f.node_count);
  pf->cat_words = copy_of(f.cat_words, f.node_count);
  pf->cat_bits = copy_of(f.cat_bits, f.cat_bit_count);
  pf->value = copy_of(f.value, f.node_count * static_cast<std::size_t>(f.channels));
  pf->roots = copy_of(f.roots, f.trees);
  pf->tree_column = copy_of(f.tree_column, f.trees);
  pf->tree_weight = copy_of(f.tree_weight, f.trees);
  pf->forest = f;
  pf->forest.nodes = pf->nodes.data();
  pf->forest.cat_offset = pf->cat_offset.data();
  pf->forest.cat_words = pf->cat_words.data();
  pf->forest.cat_bits = pf->cat_bits.data();
  pf->forest.value = pf->value.data();
  pf->forest.roots = pf->roots.data();
  pf->forest.tree_column = pf->tree_column.data();
  pf->forest.tree_weight = pf->tree_weight.data();
  pf->p = p;
  pf->out_cols = out_cols;
  return Napi::External<PreparedForest>::New(env, pf, [](Napi::Env, PreparedForest* q) { delete q; });
}

static const PreparedForest* prepared_arg(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsExternal())
    throw_coded(info.Env(), "E_PARAM", "handle must come from histForestPrepare");
  return info[0].As<Napi::External<PreparedForest>>().Data();
}

// histForestBindRow(handle, buffer Float64Array(p + outCols)): the buffer single rows are read
// from and scored into. It is held by the handle and must stay attached: the TypeScript backend
// creates it and never hands it out (so nothing can transfer it).
Napi::Value HistForestBindRow(const Napi::CallbackInfo& info) {
  auto* pf = const_cast<PreparedForest*>(prepared_arg(info));
  Napi::TypedArray buf = typed_array_arg(info, 1, "buffer", napi_float64_array, pf->p + pf->out_cols);
  if (buf.As<Napi::Float64Array>().ArrayBuffer().IsDetached() || pf->p + pf->out_cols == 0)
    throw_coded(info.Env(), "E_PARAM", "buffer must be an attached Float64Array of p + outCols values");
  // The scorer is built here, not in histForestPrepare: only single-row callers pay for it.
  if (pf->row == nullptr) pf->scorer_ok = hist::build_row_scorer(pf->forest, pf->p, pf->scorer);
  pf->row_ref = Napi::Persistent(buf.As<Napi::Float64Array>());
  pf->row = buf.As<Napi::Float64Array>().Data();
  return info.Env().Undefined();
}

// histForestPredictRow(handle, walk?): scores += every tree on the bound row, by the bitvector
// scorer (or the tree walk when asked, or when the forest does not suit the scorer). One
// argument and no allocation: the latency path of single-row predictSync.
Napi::Value HistForestPredictRow(const Napi::CallbackInfo& info) {
  const PreparedForest* pf = prepared_arg(info);
  if (pf->row == nullptr) throw_coded(info.Env(), "E_PARAM", "histForestBindRow must bind a row buffer first");
  const bool walk = info.Length() > 1 && info[1].IsBoolean() && info[1].As<Napi::Boolean>().Value();
  double* out = pf->row + pf->p;
  if (pf->scorer_ok && !walk) hist::score_row(pf->scorer, pf->forest, pf->row, out, pf->out_cols);
  else hist::walk_row(pf->forest, pf->row, out, pf->out_cols);
  return info.Env().Undefined();
}

// histForestRowScorer(handle): whether single rows of this forest take the bitvector scorer
// (false until histForestBindRow has built it).
Napi::Value HistForestRowScorer(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), prepared_arg(info)->scorer_ok);
}

// histForestPredictSync(handle, x, n, out): out (n × outCols) += every tree, on the calling thread.
Napi::Value HistForestPredictSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const PreparedForest* pf = prepared_arg(info);
  hist::PredictArgs a;
  const std::size_t n = dim_arg(info, 2, "n");
  std::vector<Napi::Value> held;
  a.x = rows_arg(info, 1, "x", n, pf->p, held);
  a.forest = pf->forest;
  a.tree_begin = 0;
  a.tree_end = pf->forest.trees;
  a.out_cols = pf->out_cols;
  a.out = f64_out(info, 3, "out", checked_product(env, n, a.out_cols, "out"), held);
  hist::predict_forest(a);
  return env.Undefined();
}

}  // namespace kiln::binding
