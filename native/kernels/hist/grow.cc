// Leaf-wise growth of one tree: the leaf with the largest gain is split next, until
// max_leaves, max_depth or no split gains enough.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <queue>
#include <stdexcept>

#include "../../runtime/large_alloc.h"
#include "../../runtime/thread_pool.h"
#include "bin_walk.h"
#include "hist.h"
#include "histogram.h"
#include "partition.h"
#include "quantize.h"
#include "split.h"

namespace kiln::hist {

namespace {

constexpr std::size_t kPoolBytes = 256u << 20;  // bound on cached leaf histograms

struct Leaf {
  int32_t node = 0;
  std::size_t begin = 0, end = 0;  // range in the row index array
  int32_t depth = 0;
  Sums sums;                // histogram units
  int32_t slot = -1;        // histogram pool slot, -1 when not cached
  int32_t buffer = 0;       // which of the two row-index buffers holds this leaf's rows
  bool split_done = false;  // an inner node now
  Split split;
  double lower = -INFINITY, upper = INFINITY;  // monotonic bounds on the value
  std::vector<uint8_t> groups;                 // interaction groups still open to this node (all when empty)
};

class Grower {
 public:
  explicit Grower(const GrowArgs& a) : a_(a), p_(a.params), data_(a.data) {
    layout_.quantized = p_.quantized != 0;
    layout_.channels = a.channels;
    layout_.p = data_.p;
    layout_.bin_count = data_.bin_count;
    layout_.stride = layout_.quantized ? 2 : (a.channels == 1 ? 4 : static_cast<std::size_t>(a.channels) + 2);
    ctx_.layout = &layout_;
    ctx_.data = &data_;
    ctx_.params = &p_;
    ctx_.monotone = a.monotone;
    const std::size_t leaf_bytes = layout_.slots() * 8;
    const std::size_t by_budget = std::max<std::size_t>(3, kPoolBytes / std::max<std::size_t>(1, leaf_bytes));
    pool_slots_ = std::min<std::size_t>(by_budget, static_cast<std::size_t>(p_.max_leaves) + 1);
    pool_.resize(pool_slots_ * layout_.slots());  // each slot is zeroed when a histogram is built in it
    slot_owner_.assign(pool_slots_, -1);
    for (std::size_t s = pool_slots_; s-- > 0;) free_slots_.push_back(static_cast<int32_t>(s));
  }

  void run() {
    init_rows();
    if (layout_.quantized) quantize();
    source_.bins = data_.bins;
    source_.p = data_.p;
    source_.grad_hess = a_.grad_hess;
    source_.codes = codes_.data();

    allowed_.assign(data_.p, 1);
    if (a_.feature_allowed != nullptr)
      for (std::size_t f = 0; f < data_.p; ++f) allowed_[f] = a_.feature_allowed[f] ? 1 : 0;

    Leaf root;
    if (a_.interaction != nullptr) root.groups.assign(a_.interaction_groups, 1);
    root.begin = 0;
    root.end = idx_.size();
    root.slot = take_slot(0);
    build(root, slot_ptr(root.slot));
    root.sums = histogram_total(ctx_, slot_ptr(root.slot));
    num_nodes_ = 1;
    write_node(root);
    search(root);
    add_leaf(std::move(root));

    // Leaf-wise: the largest gain splits next; equal gains go to the smaller node id.
    int32_t leaves = 1;
    while (leaves < p_.max_leaves && !queue_.empty()) {
      const std::size_t best = queue_.top().second;
      queue_.pop();
      split_leaf(best, leaves + 1 < p_.max_leaves);
      ++leaves;
    }
    *a_.out.num_nodes = num_nodes_;
    finish_rows();
  }

 private:
  void init_rows() {
    const std::size_t m = a_.rows != nullptr ? a_.row_count : data_.n;
    idx_.resize(m);
    tmp_.resize(m);
    if (a_.rows != nullptr) std::memcpy(idx_.data(), a_.rows, m * sizeof(int32_t));
    else std::iota(idx_.data(), idx_.data() + m, 0);
  }

  // int8 gradients with stochastic rounding (quantize.h): the same integers as the WebGPU engine,
  // as 2-byte codes per row (only rows in idx_ are ever read).
  void quantize() {
    const QuantScan scan = quant_scan(a_.grad_hess, a_.rows, idx_.size());
    ctx_.g_scale = scan.scales.g;
    ctx_.h_scale = scan.scales.h;
    codes_.resize(data_.n);
    const uint32_t seed = quant_seed(p_.seed);
    if (a_.rows == nullptr && scan.plain) {
      runtime::parallel_for(data_.n, 65536, [&](std::size_t r0, std::size_t r1) {
        quantize_codes(a_.grad_hess, seed, scan.scales, r0, r1, codes_.data());
      });
      return;
    }
    if (scan.plain) {
      runtime::parallel_for(idx_.size(), 65536, [&](std::size_t j0, std::size_t j1) {
        quantize_codes_of_rows(a_.grad_hess, seed, scan.scales, idx_.data(), j0, j1, codes_.data());
      });
      return;
    }
    runtime::parallel_for(idx_.size(), 65536, [&](std::size_t j0, std::size_t j1) {
      for (std::size_t j = j0; j < j1; ++j) {
        const uint32_t r = static_cast<uint32_t>(idx_[j]);
        int64_t g, h;
        quantize_row(a_.grad_hess, seed, scan.scales, r, g, h);
        codes_[r] = quant_code(g, h);
      }
    });
  }

  // Partitions move a leaf's rows from one buffer to the other (no copy back): each leaf
  // remembers where its rows are.
  int32_t* rows_of(const Leaf& leaf) { return (leaf.buffer == 0 ? idx_.data() : tmp_.data()) + leaf.begin; }

  void* slot_ptr(int32_t slot) { return pool_.data() + static_cast<std::size_t>(slot) * layout_.slots(); }

  // Leaves are kept in creation order (node ids ascending); the queue orders the splittable ones.
  void add_leaf(Leaf&& leaf) {
    const std::size_t i = leaves_.size();
    if (leaf.slot >= 0) cached_.push_back(i);
    if (leaf.split.valid) queue_.push({Rank{leaf.split.gain, leaf.node}, i});
    leaves_.push_back(std::move(leaf));
  }

  // A free pool slot for leaf `node`; when none is free, the most recently cached leaf gives its
  // histogram up (its children will then both be built directly). Order does not change results:
  // quantised sums are exact either way, float sums stay deterministic.
  int32_t take_slot(int32_t node) {
    if (!free_slots_.empty()) {
      const int32_t s = free_slots_.back();
      free_slots_.pop_back();
      slot_owner_[s] = node;
      return s;
    }
    while (!cached_.empty()) {
      Leaf& victim = leaves_[cached_.back()];
      cached_.pop_back();
      if (victim.slot < 0 || victim.split_done || pinned(victim.node)) continue;
      const int32_t s = victim.slot;
      victim.slot = -1;
      slot_owner_[s] = node;
      return s;
    }
    return -1;
  }
  bool pinned(int32_t node) const { return node == pinned_a_ || node == pinned_b_; }
  void release_slot(int32_t slot) {
    if (slot < 0) return;
    slot_owner_[slot] = -1;
    free_slots_.push_back(slot);
  }

  void build(const Leaf& leaf, void* out) {
    // The root of a tree on every row holds rows 0..n-1 in order: read as a range.
    const bool all_rows = a_.rows == nullptr && leaf.node == 0;
    build_histogram(layout_, source_, all_rows ? nullptr : rows_of(leaf), leaf.end - leaf.begin, out);
  }

  bool splittable(const Leaf& leaf) const {
    if (p_.max_depth > 0 && leaf.depth >= p_.max_depth) return false;
    return leaf.sums.n >= std::max(2.0 * std::max(1, p_.min_data_in_leaf), static_cast<double>(p_.min_data_to_split));
  }

  // The allowed features, narrowed to the union of the interaction groups open to the leaf.
  std::vector<uint8_t> leaf_allowed(const Leaf& leaf) const {
    if (a_.interaction == nullptr) return allowed_;
    std::vector<uint8_t> out(allowed_.size(), 0);
    for (int32_t g = 0; g < a_.interaction_groups; ++g) {
      if (!leaf.groups[g]) continue;
      const uint8_t* row = a_.interaction + static_cast<std::size_t>(g) * data_.p;
      for (std::size_t f = 0; f < out.size(); ++f) out[f] |= allowed_[f] & (row[f] ? 1 : 0);
    }
    return out;
  }

  std::vector<uint8_t> node_features(const Leaf& leaf) {
    const std::vector<uint8_t> allowed = leaf_allowed(leaf);
    const int32_t node = leaf.node;
    if (!(p_.feature_fraction_bynode < 1)) return allowed;
    std::vector<int32_t> pool;
    for (std::size_t f = 0; f < allowed.size(); ++f)
      if (allowed[f]) pool.push_back(static_cast<int32_t>(f));
    const std::size_t k =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(p_.feature_fraction_bynode * pool.size())));
    uint64_t s = p_.seed * 0x100000001B3ull + static_cast<uint64_t>(node) * 0x9E3779B97F4A7C15ull;
    for (std::size_t i = 0; i < k && i < pool.size(); ++i) {  // partial Fisher-Yates
      const std::size_t j = i + splitmix(s) % (pool.size() - i);
      std::swap(pool[i], pool[j]);
    }
    std::vector<uint8_t> chosen(allowed.size(), 0);
    for (std::size_t i = 0; i < k && i < pool.size(); ++i) chosen[pool[i]] = 1;
    return chosen;
  }

  void search(Leaf& leaf) {
    leaf.split = Split{};
    if (!splittable(leaf) || leaf.slot < 0) return;
    leaf.split =
        find_best_split(ctx_, slot_ptr(leaf.slot), leaf.sums, node_features(leaf), leaf.node, leaf.lower, leaf.upper);
  }

  // Values in gradient units (quantised sums scaled back).
  Sums scaled(const Sums& s) const {
    Sums out = s;
    for (double& g : out.g) g *= ctx_.g_scale;
    out.h *= ctx_.h_scale;
    return out;
  }

  void write_node(const Leaf& leaf) {
    const TreeOut& o = a_.out;
    const int32_t id = leaf.node;
    o.feature[id] = -1;
    o.threshold[id] = 0;
    o.default_left[id] = 0;
    o.is_categorical[id] = 0;
    std::memset(o.cat_bits + 8 * static_cast<std::size_t>(id), 0, 8 * sizeof(uint32_t));
    o.left[id] = -1;
    o.right[id] = -1;
    const Sums s = scaled(leaf.sums);
    for (int32_t c = 0; c < layout_.channels; ++c) {
      o.value[static_cast<std::size_t>(id) * layout_.channels + c] =
          leaf_value(s, c, p_.lambda_l1, p_.lambda_l2, leaf.lower, leaf.upper);
    }
    o.gain[id] = 0;
    o.cover[id] = s.h;
    o.count[id] = static_cast<int32_t>(leaf.sums.n);
    o.depth[id] = leaf.depth;
  }

  bool goes_left(const Split& s, uint8_t bin) const {
    if (s.categorical) return (s.cat_bits[bin >> 5] >> (bin & 31)) & 1u;
    return bin == 0 ? s.default_left : bin <= s.threshold;
  }

  // Stable partition of a leaf's rows by its split into the other buffer: the left rows, then the
  // right rows, each in their order; returns the left count. The split's histogram counted the left
  // rows (L), so both sides' places are known before a row is read: two lanes take blocks of rows,
  // one from the front (its lefts fill [0, ...), its rights [L, ...)), one from the back, each block
  // read from its last row (its lefts fill down from L, its rights down from m), and meet in the
  // middle — every row written once, at its place, and both threads busy on any leaf of two blocks
  // or more (partition.h).
  std::size_t partition(const Leaf& leaf) {
    const Split& s = leaf.split;
    const std::size_t m = leaf.end - leaf.begin, p = data_.p, f = static_cast<std::size_t>(s.feature);
    if (!(s.left.n >= 0 && s.left.n <= static_cast<double>(m) && s.left.n == std::floor(s.left.n)))
      throw std::logic_error("partition: the split's left count does not fit its leaf");
    const std::size_t total_left = static_cast<std::size_t>(s.left.n);
    const int32_t* idx = rows_of(leaf);
    int32_t* out = (leaf.buffer == 0 ? tmp_.data() : idx_.data()) + leaf.begin;
    uint8_t left_of_bin[kMaxBins];  // the split as a table: no branches per row
    for (int b = 0; b < kMaxBins; ++b) left_of_bin[b] = goes_left(s, static_cast<uint8_t>(b)) ? 1 : 0;
    // The split feature's bins: dense in the feature-major copy, else strided through the rows.
    const uint8_t* column = data_.columns != nullptr ? data_.columns + f * data_.n : data_.bins + f;
    const std::size_t step = data_.columns != nullptr ? 1 : p;
    // Numerical splits on the dense copy read bins by vector (never past the copy's end).
    const bool dense = !s.categorical && step == 1;
    const std::size_t readable = (p - f) * data_.n;
    constexpr std::size_t kBlock = 2048;
    const std::size_t blocks = (m + kBlock - 1) / kBlock;
    // Blocks taken: from the front in the low 32 bits, from the back in the high 32.
    std::atomic<uint64_t> taken{0};
    const auto take = [&](bool back) -> std::size_t {
      uint64_t t = taken.load(std::memory_order_relaxed);
      for (;;) {
        const uint64_t front_n = t & 0xFFFFFFFFu, back_n = t >> 32;
        if (front_n + back_n >= blocks) return blocks;
        const uint64_t next = back ? t + (uint64_t{1} << 32) : t + 1;
        if (taken.compare_exchange_weak(t, next, std::memory_order_relaxed))
          return back ? blocks - 1 - static_cast<std::size_t>(back_n) : static_cast<std::size_t>(front_n);
      }
    };
    // The lanes' cursors and the limits that keep each in its side's run.
    LaneCursor front{out, 0, total_left, total_left, m, false};
    LaneCursor back{out, total_left, m, 0, total_left, true};
    const auto lane = [&](bool from_back) {
      LaneCursor& cursor = from_back ? back : front;
      for (std::size_t b = take(from_back); b < blocks; b = take(from_back)) {
        const std::size_t j0 = b * kBlock, len = std::min(m, j0 + kBlock) - j0;
        if (dense) place_numerical(idx + j0, len, column, readable, s.threshold, s.default_left, cursor);
        else place_by_table(idx + j0, len, column, step, left_of_bin, cursor);
      }
    };
    if (blocks <= 1) {
      lane(false);
    } else {
      runtime::parallel_for(2, 1, [&](std::size_t l0, std::size_t l1) {
        for (std::size_t l = l0; l < l1; ++l) lane(l == 1);
      });
    }
    if (front.left != back.left || front.right != back.right)
      throw std::logic_error("partition: the rows disagree with the split's left count");
    return total_left;
  }

  // more: another split may follow (false for the tree's last: its children need no histograms).
  void split_leaf(std::size_t i, bool more) {
    Leaf& parent = leaves_[i];
    parent.split_done = true;
    const Split s = parent.split;
    const std::size_t nl = partition(parent);

    const TreeOut& o = a_.out;
    const int32_t id = parent.node;
    o.feature[id] = s.feature;
    o.threshold[id] = s.threshold;
    o.default_left[id] = s.default_left ? 1 : 0;
    o.is_categorical[id] = s.categorical ? 1 : 0;
    std::memcpy(o.cat_bits + 8 * static_cast<std::size_t>(id), s.cat_bits, sizeof(s.cat_bits));
    o.gain[id] = s.gain;

    Leaf left, right;
    left.node = num_nodes_++;
    right.node = num_nodes_++;
    o.left[id] = left.node;
    o.right[id] = right.node;
    left.begin = parent.begin;
    left.end = parent.begin + nl;
    right.begin = left.end;
    right.end = parent.end;
    left.depth = right.depth = parent.depth + 1;
    left.buffer = right.buffer = 1 - parent.buffer;
    left.sums = s.left;
    right.sums = s.right;
    if (a_.interaction != nullptr) {  // the groups that hold the split feature stay open below it
      left.groups = parent.groups;
      for (int32_t g = 0; g < a_.interaction_groups; ++g)
        left.groups[g] &= a_.interaction[static_cast<std::size_t>(g) * data_.p + s.feature] ? 1 : 0;
      right.groups = left.groups;
    }
    left.lower = right.lower = parent.lower;
    left.upper = right.upper = parent.upper;
    const int8_t cst = a_.monotone != nullptr && !s.categorical ? a_.monotone[s.feature] : 0;
    if (cst != 0) {  // scikit-learn's bounds: the children meet at the mean of their parent-bounded values
      const double mid = (leaf_value(scaled(left.sums), 0, p_.lambda_l1, p_.lambda_l2, parent.lower, parent.upper) +
                          leaf_value(scaled(right.sums), 0, p_.lambda_l1, p_.lambda_l2, parent.lower, parent.upper)) /
                         2;
      if (cst > 0) left.upper = right.lower = mid;
      else left.lower = right.upper = mid;
    }
    write_node(left);
    write_node(right);

    // Histograms: build the smaller child, derive the larger from the parent's.
    Leaf& small = (nl <= parent.end - parent.begin - nl) ? left : right;
    Leaf& large = (&small == &left) ? right : left;
    pinned_a_ = left.node;
    pinned_b_ = right.node;
    const bool need = more && (splittable(left) || splittable(right));
    if (need) {
      if (parent.slot >= 0) {
        small.slot = take_slot(small.node);
        if (small.slot >= 0) {
          build(small, slot_ptr(small.slot));
          subtract_histogram(layout_, slot_ptr(parent.slot), slot_ptr(small.slot), slot_ptr(parent.slot));
          large.slot = parent.slot;
          slot_owner_[large.slot] = large.node;
          parent.slot = -1;
        }
      }
      release_slot(parent.slot);
      for (Leaf* c : {&left, &right}) {
        if (c->slot < 0 && splittable(*c)) {
          c->slot = take_slot(c->node);
          if (c->slot >= 0) build(*c, slot_ptr(c->slot));
        }
      }
    } else {
      release_slot(parent.slot);
    }
    pinned_a_ = pinned_b_ = -1;
    search(left);
    search(right);
    add_leaf(std::move(left));  // may reallocate leaves_: `parent` is not used after this
    add_leaf(std::move(right));
  }

  static constexpr std::size_t kPiece = 32768;
  // Rows [rows, rows + count) of the finished leaf values[leaf].
  struct RowPiece {
    const int32_t* rows;
    std::size_t count;
    std::size_t leaf;
  };

  // scores[r * stride + col] += values[leaf of r] for every row: each row's leaf index (Index: 2
  // bytes while the leaves fit, else 4) written from the pieces, then one pass in row order —
  // scattered small stores that stay in cache instead of scattered read-modify-writes of the
  // scores (larger than the cache on big data). Every row gets the one add of its leaf either way.
  template <typename Index>
  void add_leaf_values(const std::vector<RowPiece>& pieces, const std::vector<double>& values, Index* leaf_of,
                       std::size_t stride, std::size_t col) {
    runtime::parallel_for(pieces.size(), 1, [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i)
        for (std::size_t j = 0; j < pieces[i].count; ++j)
          leaf_of[pieces[i].rows[j]] = static_cast<Index>(pieces[i].leaf);
    });
    double* const scores = a_.scores;
    runtime::parallel_for(data_.n, kPiece, [&](std::size_t r0, std::size_t r1) {
      for (std::size_t r = r0; r < r1; ++r) scores[r * stride + col] += values[leaf_of[r]];
    });
  }

  // Scores and leaf assignment for the finished tree.
  void finish_rows() {
    const TreeOut& o = a_.out;
    const int32_t C = layout_.channels;
    if (a_.leaf_of_row != nullptr) {
      std::fill(a_.leaf_of_row, a_.leaf_of_row + data_.n, -1);
      for (Leaf& l : leaves_) {
        if (l.split_done) continue;
        const int32_t* rows = rows_of(l);
        for (std::size_t j = 0; j < l.end - l.begin; ++j) a_.leaf_of_row[rows[j]] = l.node;
      }
    }
    if (a_.scores == nullptr) return;
    const std::size_t stride = a_.score_stride, col = a_.score_column;
    const double scale = a_.scale;
    if (a_.rows == nullptr) {
      // Every leaf's rows in pieces of at most kPiece, all pieces in one parallel loop (a loop per
      // leaf would leave the small leaves to one thread).
      std::vector<RowPiece> pieces;
      std::vector<double> values;
      for (Leaf& l : leaves_) {
        if (l.split_done) continue;
        const int32_t* rows = rows_of(l);
        for (std::size_t j = 0; j < l.end - l.begin; j += kPiece)
          pieces.push_back({rows + j, std::min(kPiece, l.end - l.begin - j), values.size()});
        values.push_back(scale * o.value[static_cast<std::size_t>(l.node) * C]);
      }
      if (values.size() <= std::size_t{1} << 16) {
        leaf_index16_.resize(data_.n);
        add_leaf_values(pieces, values, leaf_index16_.data(), stride, col);
      } else {
        leaf_index32_.resize(data_.n);
        add_leaf_values(pieces, values, leaf_index32_.data(), stride, col);
      }
      return;
    }
    // Grown from a sample: every row (in the sample or not) is routed through the tree on its bins.
    add_tree_to_scores(o, num_nodes_, C, data_, scale, a_.scores, stride, col);
  }

  const GrowArgs& a_;
  TreeParams p_;
  BinnedData data_;
  HistLayout layout_;
  SplitContext ctx_;
  HistSource source_;
  runtime::Scratch<int32_t> idx_, tmp_;
  runtime::Scratch<int16_t> codes_;
  runtime::Scratch<uint16_t> leaf_index16_;  // add_leaf_values: each row's finished leaf
  runtime::Scratch<uint32_t> leaf_index32_;
  std::vector<uint8_t> allowed_;
  std::vector<Leaf> leaves_;  // every leaf made, in node-id order; split ones are marked
  // Larger gain first; among equal gains the smaller node id.
  struct Rank {
    double gain;
    int32_t node;
    bool operator<(const Rank& o) const { return gain < o.gain || (gain == o.gain && node > o.node); }
  };
  std::priority_queue<std::pair<Rank, std::size_t>> queue_;
  std::vector<std::size_t> cached_;  // leaves given a histogram slot, most recent last
  std::vector<int32_t> free_slots_;
  runtime::Scratch<uint64_t> pool_;  // 8-byte accumulators (double or int64), slot after slot
  std::vector<int32_t> slot_owner_;
  std::size_t pool_slots_ = 0;
  int32_t num_nodes_ = 0;
  int32_t pinned_a_ = -1, pinned_b_ = -1;
};

}  // namespace

void grow_tree(const GrowArgs& a) {
  if (a.params.quantized && a.channels != 1) throw std::invalid_argument("quantised gradients need a single channel");
  Grower g(a);
  g.run();
}

}  // namespace kiln::hist
