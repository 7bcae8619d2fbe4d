#include "sort_f64.h"

#include "../../runtime/thread_pool.h"
#include "few_distinct.h"
#include "order_keys.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace kiln::order {
namespace {

constexpr int kDigitBits = 8;
constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
constexpr int kPasses =
    64 / kDigitBits;  // 8 bytes: 256 buckets, whose write streams stay in L1 (11-bit digits measured slower)

// The output array doubles as one of the two key buffers (same size, read and written only as
// keys until the last pass decodes it): saves a buffer and its page faults.
typedef std::uint64_t __attribute__((may_alias)) aliased_u64;

// Turns a pass's digit counts into the first output slot of each digit; false when one digit holds
// all n keys (the pass would move nothing: the high digits of data in a narrow range).
inline bool to_offsets(std::array<std::size_t, kBuckets>& c, std::size_t n) {
  if (std::any_of(c.begin(), c.end(), [n](std::size_t v) { return v == n; })) return false;
  std::size_t offset = 0;
  for (std::size_t& v : c) {
    const std::size_t here = v;
    v = offset;
    offset += here;
  }
  return true;
}

inline std::size_t digit(std::uint64_t k, int pass) { return (k >> (pass * kDigitBits)) & (kBuckets - 1); }

}  // namespace

namespace {

// Below this, a stable insertion sort beats setting up 256 counters per digit (small buckets of a split).
constexpr std::size_t kInsertionMax = 48;
// Columns from this long try the few-distinct-values path first (shorter ones sort fast anyway).
constexpr std::size_t kFewDistinctMinRows = std::size_t{1} << 16;
// Ranges from this long split their counting and scattering over the pool's threads.
constexpr std::size_t kParallelMin = std::size_t{1} << 18;

using Count = std::array<std::size_t, kBuckets>;

// The keys of one range (and their row indices when kIdx), with scratch of the same length.
struct Range {
  aliased_u64* k;
  aliased_u64* ks;
  std::uint32_t* ix;
  std::uint32_t* ixs;
  std::size_t n;
  Range at(std::size_t s, std::size_t len) const {
    return {k + s, ks + s, ix ? ix + s : nullptr, ixs ? ixs + s : nullptr, len};
  }
  // The same range with its keys and scratch exchanged.
  Range swapped() const { return {ks, k, ixs, ix, n}; }
};

template <bool kIdx>
void insertion_sort(const Range& r) {
  for (std::size_t i = 1; i < r.n; ++i) {
    const std::uint64_t key = r.k[i];
    std::uint32_t idx = 0;
    if constexpr (kIdx) idx = r.ix[i];
    std::size_t j = i;
    for (; j > 0 && r.k[j - 1] > key; --j) {  // strict: equal keys keep their order
      r.k[j] = r.k[j - 1];
      if constexpr (kIdx) r.ix[j] = r.ix[j - 1];
    }
    r.k[j] = key;
    if constexpr (kIdx) r.ix[j] = idx;
  }
}

// Least significant digit first over digits 0..hi (the higher ones are equal across the range).
template <bool kIdx>
void lsd_sort(const Range& r, int hi) {
  std::array<Count, kPasses> counts;
  for (int p = 0; p <= hi; ++p) counts[p].fill(0);
  for (std::size_t i = 0; i < r.n; ++i)
    for (int p = 0; p <= hi; ++p) ++counts[p][digit(r.k[i], p)];
  Range src = r, dst = r.swapped();
  for (int p = 0; p <= hi; ++p) {
    auto& c = counts[p];
    if (!to_offsets(c, r.n)) continue;
    for (std::size_t i = 0; i < r.n; ++i) {
      const std::size_t at = c[digit(src.k[i], p)]++;
      dst.k[at] = src.k[i];
      if constexpr (kIdx) dst.ix[at] = src.ix[i];
    }
    std::swap(src, dst);
  }
  if (src.k != r.k) {
    std::memcpy(r.k, src.k, r.n * sizeof(std::uint64_t));
    if constexpr (kIdx) std::memcpy(r.ix, src.ix, r.n * sizeof(std::uint32_t));
  }
}

// Runs fn(t) for t in [0, parts) on the pool.
template <typename Fn>
void for_each_part(std::size_t parts, const Fn& fn) {
  if (parts == 1) return fn(0);
  runtime::parallel_for(parts, 1, [&](std::size_t b, std::size_t e) {
    for (std::size_t t = b; t < e; ++t) fn(t);
  });
}

template <bool kIdx>
void sort_range(const Range& r, int hi);

// Most significant digit first: a stable split of the range by digit `hi` into the scratch, in
// parallel parts, then each bucket sorted on the lower digits and copied back, the buckets shared
// by the threads largest first.
template <bool kIdx>
void msd_sort(const Range& r, int hi) {
  const std::size_t parts = runtime::thread_count();
  const auto part_begin = [&](std::size_t t) { return r.n * t / parts; };
  std::vector<Count> counts(parts);  // value-initialised: zeros
  for_each_part(parts, [&](std::size_t t) {
    Count& c = counts[t];
    for (std::size_t i = part_begin(t), e = part_begin(t + 1); i < e; ++i) ++c[digit(r.k[i], hi)];
  });
  Count total{};
  for (const Count& c : counts)
    for (std::size_t d = 0; d < kBuckets; ++d) total[d] += c[d];
  if (std::any_of(total.begin(), total.end(), [&](std::size_t v) { return v == r.n; })) {
    if (hi > 0) sort_range<kIdx>(r, hi - 1);  // one digit value: nothing moves at this digit
    return;
  }
  std::array<std::size_t, kBuckets + 1> start{};
  for (std::size_t d = 0, offset = 0; d < kBuckets; ++d) {
    start[d] = offset;
    for (Count& c : counts) {  // each part writes after the earlier parts' keys of the digit: stable
      const std::size_t here = c[d];
      c[d] = offset;
      offset += here;
    }
  }
  start[kBuckets] = r.n;
  for_each_part(parts, [&](std::size_t t) {
    Count& c = counts[t];
    for (std::size_t i = part_begin(t), e = part_begin(t + 1); i < e; ++i) {
      const std::size_t at = c[digit(r.k[i], hi)]++;
      r.ks[at] = r.k[i];
      if constexpr (kIdx) r.ixs[at] = r.ix[i];
    }
  });
  std::vector<std::uint16_t> order;
  for (std::size_t d = 0; d < kBuckets; ++d)
    if (total[d] > 0) order.push_back(static_cast<std::uint16_t>(d));
  std::stable_sort(order.begin(), order.end(), [&](std::uint16_t a, std::uint16_t b) { return total[a] > total[b]; });
  const auto finish = [&](std::size_t d) {
    const Range b = r.at(start[d], total[d]).swapped();  // the bucket now lives in the scratch
    if (hi > 0 && b.n > 1) sort_range<kIdx>(b, hi - 1);
    std::memcpy(b.ks, b.k, b.n * sizeof(std::uint64_t));
    if constexpr (kIdx) std::memcpy(b.ixs, b.ix, b.n * sizeof(std::uint32_t));
  };
  std::atomic<std::size_t> next{0};
  for_each_part(parts, [&](std::size_t) {
    for (std::size_t j; (j = next.fetch_add(1, std::memory_order_relaxed)) < order.size();) finish(order[j]);
  });
}

// Sorts the range on digits 0..hi in place (stable), the digits above hi being equal across it.
// One thread sorts by LSD passes (measured faster there than splitting into in-cache buckets);
// long ranges with more threads split on their top digit so that the buckets share the threads.
template <bool kIdx>
void sort_range(const Range& r, int hi) {
  if (r.n <= kInsertionMax) insertion_sort<kIdx>(r);
  else if (r.n < kParallelMin || runtime::thread_count() == 1) lsd_sort<kIdx>(r, hi);
  else msd_sort<kIdx>(r, hi);
}

}  // namespace

void sort_f64(const double* in, std::size_t n, double* out) {
  if (n == 0) return;
  if (n >= kFewDistinctMinRows && sort_few_distinct(in, n, out)) return;
  // uninitialised: every element is written before it is read
  std::unique_ptr<std::uint64_t[]> scratch(new std::uint64_t[n]);
  aliased_u64* keys = reinterpret_cast<aliased_u64*>(out);
  const std::size_t parts = n >= kParallelMin ? runtime::thread_count() : 1;
  // keys written over `out` index by index: `in` may be `out`
  for_each_part(parts, [&](std::size_t t) {
    for (std::size_t i = n * t / parts, e = n * (t + 1) / parts; i < e; ++i) keys[i] = key_of(in[i]);
  });
  sort_range<false>({keys, scratch.get(), nullptr, nullptr, n}, kPasses - 1);
  for_each_part(parts, [&](std::size_t t) {
    for (std::size_t i = n * t / parts, e = n * (t + 1) / parts; i < e; ++i) out[i] = value_of(keys[i]);
  });
}

namespace {

// The stable argsort into `order`; returns the keys in sorted order (the ranks read ties off them).
std::unique_ptr<std::uint64_t[]> argsort_keys(const double* in, std::size_t n, std::uint32_t* order) {
  std::unique_ptr<std::uint64_t[]> keys(new std::uint64_t[n]), keys2(new std::uint64_t[n]);
  std::unique_ptr<std::uint32_t[]> scratch(new std::uint32_t[n]);
  const std::size_t parts = n >= kParallelMin ? runtime::thread_count() : 1;
  for_each_part(parts, [&](std::size_t t) {
    for (std::size_t i = n * t / parts, e = n * (t + 1) / parts; i < e; ++i) {
      // -0 and +0 are one value here: their tie keeps index order
      keys[i] = key_of(in[i] == 0.0 ? 0.0 : in[i]);
      order[i] = static_cast<std::uint32_t>(i);
    }
  });
  sort_range<true>({keys.get(), keys2.get(), order, scratch.get(), n}, kPasses - 1);
  return keys;
}

}  // namespace

void argsort_f64(const double* in, std::size_t n, std::uint32_t* order) {
  if (n == 0) return;
  argsort_keys(in, n, order);
}

void average_ranks(const double* in, std::size_t n, double* ranks) {
  if (n == 0) return;
  if (n >= kFewDistinctMinRows && average_ranks_few_distinct(in, n, ranks)) return;
  std::unique_ptr<std::uint32_t[]> order(new std::uint32_t[n]);
  const std::unique_ptr<std::uint64_t[]> keys = argsort_keys(in, n, order.get());
  constexpr std::uint64_t kNaN = ~std::uint64_t{0};
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    if (keys[i] != kNaN)  // a NaN equals nothing: each is a run of its own
      while (j < n && keys[j] == keys[i]) ++j;
    const double r = static_cast<double>(i + j + 1) / 2;  // the mean of positions i+1 .. j
    for (std::size_t k = i; k < j; ++k) ranks[order[k]] = r;
    i = j;
  }
}

}  // namespace kiln::order
