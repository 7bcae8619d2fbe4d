// The hist engine's binning and forest prediction on hand-made inputs whose answers are
// known in closed form: edges and missing bins, categorical tables, a stump with missing
// going left or right, and tree weights accumulated into the output.
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <vector>

#include "../kernels/hist/hist.h"
#include "../kernels/hist/partition.h"
#include "../kernels/hist/quantize.h"
#include "../kernels/hist/split.h"
#include "../runtime/thread_pool.h"

namespace {

using namespace kiln::hist;

TEST(HistBin, EdgesMissingAndCategories) {
  // feature 0 numerical with edges {1, 2}; feature 1 categorical with table [code 0 -> 1, 1 -> 2, 2 -> 3]
  const double x[] = {0.5, 0, 1.0, 2, 1.5, 1, 9.0, 7, NAN, 1.5};
  const double edges[] = {1.0, 2.0};
  const int32_t edge_offset[] = {0, 2, 2};
  const uint8_t categorical[] = {0, 1};
  const uint8_t cat_table[] = {1, 2, 3};
  const int32_t cat_offset[] = {0, 0, 3};
  std::vector<uint8_t> out(10), cols(10);
  BinArgs a;
  a.x.f64 = x;
  a.x.rows = 5;
  a.x.cols = 2;
  a.edges = edges;
  a.edge_offset = edge_offset;
  a.categorical = categorical;
  a.cat_table = cat_table;
  a.cat_offset = cat_offset;
  a.out = out.data();
  a.out_columns = cols.data();
  bin_columns(a);
  // x <= 1 -> bin 1, (1, 2] -> bin 2, > 2 -> bin 3, NaN -> 0; codes 0,1,2 -> 1,2,3; 7 and 1.5 -> 0 (missing)
  const std::vector<uint8_t> want = {1, 1, 1, 3, 2, 2, 3, 0, 0, 0};
  EXPECT_EQ(out, want);
  for (std::size_t r = 0; r < 5; ++r)
    for (std::size_t f = 0; f < 2; ++f) EXPECT_EQ(cols[f * 5 + r], out[r * 2 + f]);
}

TEST(HistBin, ManyRowsMatchTheEdgeCountOfEachValue) {
  // 4 numerical features with 0, 1, 5 and 254 edges and a categorical one, over 203 rows (blocks
  // of rows and a remainder), NaNs and values on the edges included: bin = 1 + #edges below v.
  const std::size_t n = 203, p = 5;
  std::vector<double> edges;
  std::vector<int32_t> edge_offset = {0};
  for (std::size_t count : {0, 1, 5, 254}) {
    for (std::size_t k = 0; k < count; ++k) edges.push_back(static_cast<double>(k) * 0.5 - 3);
    edge_offset.push_back(static_cast<int32_t>(edges.size()));
  }
  edge_offset.push_back(edge_offset.back());
  const uint8_t categorical[] = {0, 0, 0, 0, 1};
  const uint8_t cat_table[] = {1, 2, 3};
  const int32_t cat_offset[] = {0, 0, 0, 0, 0, 3};
  std::vector<double> x(n * p);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t f = 0; f < 4; ++f)
      x[r * p + f] = (r % 17 == f) ? NAN : static_cast<double>((r * 7 + f * 3) % 300) * 0.25 - 5;
    x[r * p + 4] = static_cast<double>(r % 5);  // codes 3 and 4 are outside the table: missing
  }
  std::vector<uint8_t> out(n * p), cols(n * p);
  BinArgs a;
  a.x.f64 = x.data();
  a.x.rows = n;
  a.x.cols = p;
  a.edges = edges.data();
  a.edge_offset = edge_offset.data();
  a.categorical = categorical;
  a.cat_table = cat_table;
  a.cat_offset = cat_offset;
  a.out = out.data();
  a.out_columns = cols.data();
  bin_columns(a);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t f = 0; f < 4; ++f) {
      const double v = x[r * p + f];
      std::size_t below = 0;
      for (int32_t k = edge_offset[f]; k < edge_offset[f + 1]; ++k) below += edges[static_cast<std::size_t>(k)] < v;
      EXPECT_EQ(out[r * p + f], std::isnan(v) ? 0 : 1 + below) << r << " " << f;
    }
    EXPECT_EQ(out[r * p + 4], r % 5 < 3 ? r % 5 + 1 : 0) << r;
    for (std::size_t f = 0; f < p; ++f) EXPECT_EQ(cols[f * n + r], out[r * p + f]);
  }
}

Forest stump(std::vector<Node>& nodes, std::vector<double>& value, bool missing_left, std::vector<int32_t>& roots,
             std::vector<int32_t>& column, std::vector<double>& weight) {
  // root: x0 <= 0.5 goes left (leaf value -1), else right (leaf value +1)
  nodes = {{0.5, missing_left ? kNodeMissingLeft : 0, 1}, {INFINITY, kNodeLeaf, 1}, {INFINITY, kNodeLeaf, 2}};
  value = {0, -1, 1};
  roots = {0, 0};
  column = {0, 0};
  weight = {1.0, 0.25};  // the same tree twice, weights 1 and 0.25
  Forest f;
  f.nodes = nodes.data();
  f.node_count = 3;
  f.value = value.data();
  f.roots = roots.data();
  f.tree_column = column.data();
  f.tree_weight = weight.data();
  f.trees = 2;
  return f;
}

TEST(HistPredict, StumpWithMissingDirectionAndTreeWeights) {
  for (bool missing_left : {false, true}) {
    std::vector<Node> nodes;
    std::vector<double> value, weight;
    std::vector<int32_t> roots, column;
    const Forest f = stump(nodes, value, missing_left, roots, column, weight);
    const float x[] = {0.0f, 0.5f, 0.75f, NAN};
    std::vector<double> out(4, 10.0);  // accumulated into
    std::vector<int32_t> leaves(8);
    PredictArgs a;
    a.x.f32 = x;
    a.x.rows = 4;
    a.x.cols = 1;
    a.forest = f;
    a.tree_begin = 0;
    a.tree_end = 2;
    a.out = out.data();
    a.leaf_index = leaves.data();
    predict_forest(a);
    const double nan_side = missing_left ? -1.25 : 1.25;
    EXPECT_DOUBLE_EQ(out[0], 10 - 1.25);
    EXPECT_DOUBLE_EQ(out[1], 10 - 1.25);  // x <= threshold goes left
    EXPECT_DOUBLE_EQ(out[2], 10 + 1.25);
    EXPECT_DOUBLE_EQ(out[3], 10 + nan_side);
    EXPECT_EQ(leaves[2 * 2], 2);
    EXPECT_EQ(leaves[3 * 2 + 1], missing_left ? 1 : 2);
  }
}

TEST(HistGradients, SquaredAndLogisticClosedForms) {
  const double y[] = {1.0, 0.0};
  const double scores[] = {0.0, 2.0};
  double gh[4], loss = 0;
  GradArgs a;
  a.loss = Loss::Squared;
  a.n = 2;
  a.y = y;
  a.scores = scores;
  a.grad_hess = gh;
  a.loss_sum = &loss;
  gradients(a);
  EXPECT_DOUBLE_EQ(gh[0], -1.0);  // score - y
  EXPECT_DOUBLE_EQ(gh[1], 1.0);
  EXPECT_DOUBLE_EQ(gh[2], 2.0);
  a.loss = Loss::Logistic;
  gradients(a);
  const double p1 = 1 / (1 + std::exp(-2.0));
  EXPECT_NEAR(gh[0], 0.5 - 1.0, 1e-12);  // sigmoid(score) - y
  EXPECT_NEAR(gh[1], 0.25, 1e-12);       // p (1 - p)
  EXPECT_NEAR(gh[2], p1, 1e-12);
  EXPECT_NEAR(gh[3], p1 * (1 - p1), 1e-12);
}

TEST(HistGradients, CountsTheLabelsThatAreNotClassCodes) {
  const std::size_t n = 40000;  // several of the kernel's chunks
  std::vector<double> y(n, 1.0), scores(3 * n, 0.25), gh(6 * n);
  for (std::size_t i = 0; i < n; i += 3) y[i] = 0.0;
  y[5] = -0.0;  // a class code
  double loss = 0;
  GradArgs a;
  a.loss = Loss::Logistic;
  a.n = n;
  a.y = y.data();
  a.scores = scores.data();
  a.grad_hess = gh.data();
  a.loss_sum = &loss;
  EXPECT_EQ(gradients(a), 0u);
  const double bad[] = {0.5, 2.0, -1.0, std::nan(""), HUGE_VAL};
  for (std::size_t j = 0; j < 5; ++j) y[7000 * j + 11] = bad[j];
  EXPECT_EQ(gradients(a), 5u);
  a.loss = Loss::Softmax;  // three classes: 2 is a code now, the other four are not
  a.k = 3;
  EXPECT_EQ(gradients(a), 4u);
  a.loss = Loss::Squared;  // any number is a target
  a.k = 1;
  EXPECT_EQ(gradients(a), 0u);
}

TEST(HistGradients, ClassCodeCheckFindsTheFirstBadRow) {
  std::vector<double> y(1000, 1.0);
  y[3] = 0.0;
  y[7] = -0.0;  // a class code as before: -0 >= 0 and integral
  EXPECT_EQ(first_bad_class_code(y.data(), y.size(), 2), y.size());
  for (double bad : {0.5, 2.0, -1.0, std::nan(""), HUGE_VAL}) {
    y[600] = bad;
    y[900] = 3.0;
    EXPECT_EQ(first_bad_class_code(y.data(), y.size(), 2), 600u) << bad;
  }
  y[600] = 2.0;  // three classes: 2 is a code, 3 is not
  EXPECT_EQ(first_bad_class_code(y.data(), y.size(), 3), 900u);
  y[900] = 1.5;
  EXPECT_EQ(first_bad_class_code(y.data(), y.size(), 3), 900u);
  EXPECT_EQ(first_bad_class_code(y.data(), 0, 2), 0u);
}

// Rows as a leaf holds them (dense runs read through 64-byte windows), sparse ones (gathers), groups
// out of order and rows before the group's first (neither fits a window), and the column's last rows
// (whose words and windows would pass its end): every read path, both lanes (a front lane placing
// rows forward, a back lane backward from the other end) and every split between them must give
// the row-by-row stable partition.
TEST(HistPartition, LanesPlaceEveryRowInOrderOnEveryReadPath) {
  const std::size_t n = 1003;
  // The column ends where an unreadable page begins: a read past its end crashes the test.
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  void* pages = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(pages, MAP_FAILED);
  ASSERT_EQ(mprotect(static_cast<char*>(pages) + page, page, PROT_NONE), 0);
  struct Unmap {
    void* p;
    std::size_t bytes;
    ~Unmap() { munmap(p, bytes); }
  } unmap{pages, 2 * page};
  uint8_t* column = static_cast<uint8_t*>(pages) + page - n;
  for (std::size_t r = 0; r < n; ++r) column[r] = static_cast<uint8_t>((r * 37 + 11) % 7);  // bins 0..6
  std::vector<int32_t> idx;
  for (std::size_t r = 0; r < 400; r += 1 + r % 3) idx.push_back(static_cast<int32_t>(r));  // windows
  for (std::size_t r = 400; r < 900; r += 29) idx.push_back(static_cast<int32_t>(r));       // gathers
  while (idx.size() % 16 != 0) idx.push_back(static_cast<int32_t>(900 + idx.size() % 16));  // groups start here
  for (int32_t r : {930, 940, 925, 945, 931, 999, 932, 933, 934, 935, 936, 937, 938, 939, 941, 942})
    idx.push_back(r);  // out of order, one row before the first and one past its window: a gather
  for (int32_t r : {850, 860, 912, 851, 853, 890, 852, 870, 871, 854, 855, 880, 881, 882, 856, 857})
    idx.push_back(r);  // out of order inside the first row's window
  for (std::size_t r = n - 40; r < n; ++r) idx.push_back(static_cast<int32_t>(r));  // the last rows
  const std::size_t m = idx.size();
  for (bool default_left : {false, true}) {
    for (int32_t threshold : {0, 3, 6}) {
      std::vector<int32_t> want;
      for (int pass = 0; pass < 2; ++pass)
        for (int32_t r : idx) {
          const uint8_t b = column[static_cast<std::size_t>(r)];
          if ((b == 0 ? default_left : b <= threshold) == (pass == 0)) want.push_back(r);
        }
      std::size_t total_left = 0;
      for (int32_t r : idx) {
        const uint8_t b = column[static_cast<std::size_t>(r)];
        total_left += (b == 0 ? default_left : b <= threshold) ? 1 : 0;
      }
      uint8_t table[256] = {};
      for (int b = 0; b < 256; ++b) table[b] = (b == 0 ? default_left : b <= threshold) ? 1 : 0;
      for (std::size_t split : {std::size_t{0}, std::size_t{37}, std::size_t{256}, m - 5, m}) {
        for (bool by_table : {false, true}) {
          std::vector<int32_t> out(m, -1);
          LaneCursor front{out.data(), 0, total_left, total_left, m, false};
          LaneCursor back{out.data(), total_left, m, 0, total_left, true};
          if (by_table) {
            place_by_table(idx.data(), split, column, 1, table, front);
            place_by_table(idx.data() + split, m - split, column, 1, table, back);
          } else {
            place_numerical(idx.data(), split, column, n, threshold, default_left, front);
            place_numerical(idx.data() + split, m - split, column, n, threshold, default_left, back);
          }
          EXPECT_EQ(front.left, back.left);
          EXPECT_EQ(front.right, back.right);
          EXPECT_EQ(out, want) << "split " << split << (by_table ? " by table" : " numerical");
        }
      }
    }
  }
}

// Rows that disagree with the split's left count are refused before they are written outside
// their lane's run; a strided column (bins of row-major data) reads row * step.
TEST(HistPartition, LanesRefuseRowsPastTheirLimitsAndReadStridedColumns) {
  const std::size_t n = 64, step = 3;
  std::vector<uint8_t> bins(n * step, 9);
  for (std::size_t r = 0; r < n; ++r) bins[r * step] = static_cast<uint8_t>(1 + r % 2);  // 1, 2, 1, 2, ...
  std::vector<int32_t> idx(n);
  for (std::size_t r = 0; r < n; ++r) idx[r] = static_cast<int32_t>(r);
  uint8_t table[256] = {};
  table[1] = 1;
  std::vector<int32_t> out(n, -1);
  LaneCursor lane{out.data(), 0, n / 2, n / 2, n, false};
  place_by_table(idx.data(), n, bins.data(), step, table, lane);
  for (std::size_t k = 0; k < n / 2; ++k) {
    EXPECT_EQ(out[k], static_cast<int32_t>(2 * k));
    EXPECT_EQ(out[n / 2 + k], static_cast<int32_t>(2 * k + 1));
  }
  std::vector<uint8_t> column(n + 64, 1);  // every row goes left: more lefts than the 10 the lanes expect
  for (bool backward : {false, true}) {
    LaneCursor short_left =
        backward ? LaneCursor{out.data(), 10, n, 0, 10, true} : LaneCursor{out.data(), 0, 10, 10, n, false};
    EXPECT_THROW(place_numerical(idx.data(), n, column.data(), column.size(), 1, false, short_left), std::logic_error);
    EXPECT_THROW(place_by_table(idx.data(), n, column.data(), 1, table, short_left), std::logic_error);
  }
}

TEST(HistGradients, LogLinkAndQuantileClosedForms) {
  const double y[] = {3.0, 0.5};
  const double scores[] = {std::log(2.0), 0.0};
  double gh[4], loss = 0;
  GradArgs a;
  a.n = 2;
  a.y = y;
  a.scores = scores;
  a.grad_hess = gh;
  a.loss_sum = &loss;
  a.loss = Loss::Poisson;  // mu - y, mu
  gradients(a);
  EXPECT_NEAR(gh[0], 2.0 - 3.0, 1e-12);
  EXPECT_NEAR(gh[1], 2.0, 1e-12);
  EXPECT_NEAR(loss, 2.0 - 3.0 * std::log(2.0) + 1.0, 1e-12);
  a.loss = Loss::Gamma;  // 1 - y / mu, y / mu
  gradients(a);
  EXPECT_NEAR(gh[0], 1 - 1.5, 1e-12);
  EXPECT_NEAR(gh[1], 1.5, 1e-12);
  EXPECT_NEAR(gh[2], 0.5, 1e-12);
  a.loss = Loss::Tweedie;  // mu^(2-p) - y mu^(1-p)
  a.param = 1.5;
  gradients(a);
  EXPECT_NEAR(gh[0], std::sqrt(2.0) - 3.0 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(gh[1], 0.5 * std::sqrt(2.0) + 0.5 * 3.0 / std::sqrt(2.0), 1e-12);
  const double below[] = {std::log(2.0), 1.0};  // row 2 now under its score
  a.scores = below;
  a.loss = Loss::Quantile;  // -alpha at or above the score, 1 - alpha below
  a.param = 0.9;
  gradients(a);
  EXPECT_NEAR(gh[0], -0.9, 1e-15);
  EXPECT_NEAR(gh[2], 0.1, 1e-15);
  EXPECT_NEAR(loss, 0.9 * (3.0 - std::log(2.0)) + 0.1 * 0.5, 1e-12);
}

// LambdaRank on one query of two items, tied scores: lambda = -sigma |dNDCG| / 2 on the relevant
// item, hessian sigma^2 |dNDCG| / 4, |dNDCG| = 1 - 1 / log2(3); a second query of equal labels
// contributes nothing; many queries give the same bits on one thread as on several.
TEST(HistRankGradients, TwoItemClosedFormAndEqualLabels) {
  const double y[] = {1, 0, 2, 2, 2};
  const double scores[] = {0, 0, 0.3, -1, 2};
  const int32_t offsets[] = {0, 2, 5};
  double gh[10], loss = -1;
  RankArgs a;
  a.n = 5;
  a.queries = 2;
  a.y = y;
  a.scores = scores;
  a.query_offset = offsets;
  a.norm = false;
  a.grad_hess = gh;
  a.loss_sum = &loss;
  lambdarank_gradients(a);
  const double d = 1 - 1 / std::log2(3.0);
  EXPECT_NEAR(gh[0], -d / 2, 1e-15);
  EXPECT_NEAR(gh[1], d / 4, 1e-15);
  EXPECT_NEAR(gh[2], d / 2, 1e-15);
  for (int i = 4; i < 10; ++i) EXPECT_EQ(gh[i], 0.0);
  EXPECT_EQ(loss, 0.0);  // both queries already ranked ideally: NDCG 1
}

TEST(HistRankGradients, SameBitsOnAnyThreadCount) {
  const std::size_t queries = 500, m = 17, n = queries * m;
  std::vector<double> y(n), scores(n), one(2 * n), many(2 * n);
  std::vector<int32_t> offsets(queries + 1);
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = static_cast<double>((i * 7 + i / 5) % 4);
    scores[i] = std::sin(static_cast<double>(i) * 0.37);
  }
  for (std::size_t q = 0; q <= queries; ++q) offsets[q] = static_cast<int32_t>(q * m);
  RankArgs a;
  a.n = n;
  a.queries = queries;
  a.y = y.data();
  a.scores = scores.data();
  a.query_offset = offsets.data();
  a.truncation = 5;
  double loss_one = 0, loss_many = 0;
  const std::size_t threads = kiln::runtime::thread_count();
  kiln::runtime::set_thread_count(1);
  a.grad_hess = one.data();
  a.loss_sum = &loss_one;
  lambdarank_gradients(a);
  kiln::runtime::set_thread_count(4);
  a.grad_hess = many.data();
  a.loss_sum = &loss_many;
  lambdarank_gradients(a);
  kiln::runtime::set_thread_count(threads);
  EXPECT_EQ(loss_one, loss_many);
  EXPECT_EQ(one, many);
  EXPECT_GT(loss_one, 0.0);
}

TEST(HistQuantize, VectorisedCodesEqualTheRowRuleAndDecode) {
  // quantize_codes stands in for quantize_row where quant_scan calls the values plain: the same
  // integers (the WebGPU engine uses quantize_row's), decoded as g = code >> 7 and h = code & 127;
  // the largest |g| sits on the scale's edge and negative hessians clamp to 0.
  const std::size_t n = 5000;
  std::vector<double> gh(2 * n);
  for (std::size_t r = 0; r < n; ++r) {
    gh[2 * r] = std::sin(0.37 * static_cast<double>(r)) * 3.0;
    gh[2 * r + 1] = r % 11 == 0 ? -0.01 : std::fabs(std::cos(0.11 * static_cast<double>(r))) * 0.25;
  }
  gh[0] = 3.0;
  gh[2] = -3.0;
  const QuantScan scan = quant_scan(gh.data(), nullptr, n);
  ASSERT_TRUE(scan.plain);
  const QuantScales ref = quant_scales(gh.data(), nullptr, n);
  EXPECT_EQ(scan.scales.g, ref.g);
  EXPECT_EQ(scan.scales.h, ref.h);
  std::vector<int16_t> codes(n);
  const uint32_t seed = quant_seed(12345);
  quantize_codes(gh.data(), seed, scan.scales, 0, n, codes.data());
  for (std::size_t r = 0; r < n; ++r) {
    int64_t g, h;
    quantize_row(gh.data(), seed, scan.scales, static_cast<uint32_t>(r), g, h);
    ASSERT_EQ(codes[r], quant_code(g, h)) << "row " << r;
    ASSERT_EQ(codes[r] >> 7, g) << "row " << r;
    ASSERT_EQ(codes[r] & 127, h) << "row " << r;
  }
  // A NaN or an infinity leaves the row rule to quantize_row.
  gh[7] = NAN;
  EXPECT_FALSE(quant_scan(gh.data(), nullptr, n).plain);
  gh[7] = INFINITY;
  EXPECT_FALSE(quant_scan(gh.data(), nullptr, n).plain);
}

TEST(HistSplit, RandomThresholdIsSeededAndInRange) {
  int hits[8] = {0};
  for (int32_t node = 0; node < 400; ++node) {
    const int32_t t = random_threshold(7, node, 3, 2, 10);  // bins 2..t go left: t in [2, 10)
    ASSERT_GE(t, 2);
    ASSERT_LT(t, 10);
    ++hits[t - 2];
    EXPECT_EQ(t, random_threshold(7, node, 3, 2, 10));
  }
  for (int h : hits) EXPECT_GT(h, 20);  // every cut drawn (about 50 each)
  EXPECT_NE(random_threshold(7, 5, 3, 1, 200), random_threshold(8, 5, 3, 1, 200));
}

TEST(HistSplit, LeafValueClippedToMonotonicBounds) {
  Sums s;
  s.g = {-4.0};
  s.h = 2;
  EXPECT_DOUBLE_EQ(leaf_value(s, 0, 0, 0), 2.0);
  EXPECT_DOUBLE_EQ(leaf_value(s, 0, 0, 0, -1.0, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(leaf_value(s, 0, 0, 0, 3.0, 4.0), 3.0);
}

}  // namespace
