#include "sort_f64.h"

#include <algorithm>
#include <array>
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
constexpr std::uint64_t kSign = std::uint64_t{1} << 63;

// The output array doubles as one of the two key buffers (same size, read and written only as
// keys until the last pass decodes it): saves a buffer and its page faults.
typedef std::uint64_t __attribute__((may_alias)) aliased_u64;

// An unsigned key in the doubles' order: negatives flipped whole, positives with the sign bit set;
// every NaN maps to the largest key, after +Infinity.
inline std::uint64_t key_of(double d) {
  if (std::isnan(d)) return ~std::uint64_t{0};
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return (u & kSign) ? ~u : (u | kSign);
}

// The inverse of key_of (the NaN key decodes to the quiet NaN 0x7FFFFFFFFFFFFFFF).
inline double value_of(std::uint64_t k) {
  const std::uint64_t u = (k & kSign) ? (k & ~kSign) : ~k;
  double d;
  std::memcpy(&d, &u, sizeof d);
  return d;
}

// Counts of every digit of every key, and whether each pass moves anything.
using Counts = std::vector<std::array<std::size_t, kBuckets>>;

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

void sort_f64(const double* in, std::size_t n, double* out) {
  if (n == 0) return;
  // uninitialised: every element is written before it is read
  std::unique_ptr<std::uint64_t[]> scratch(new std::uint64_t[n]);
  aliased_u64* keys = reinterpret_cast<aliased_u64*>(out);
  // one pass for the keys and the counts of every digit (reading `in` before `out` is written: they may alias)
  Counts counts(kPasses);
  for (auto& c : counts) c.fill(0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = key_of(in[i]);
    keys[i] = k;
    for (int p = 0; p < kPasses; ++p) ++counts[p][digit(k, p)];
  }
  aliased_u64* src = keys;
  aliased_u64* dst = scratch.get();
  for (int p = 0; p < kPasses; ++p) {
    auto& c = counts[p];
    if (!to_offsets(c, n)) continue;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t k = src[i];
      dst[c[digit(k, p)]++] = k;
    }
    std::swap(src, dst);
  }
  if (src != keys) std::memcpy(keys, src, n * sizeof(std::uint64_t));
  for (std::size_t i = 0; i < n; ++i) out[i] = value_of(keys[i]);
}

namespace {

// The stable argsort into `order`; returns the keys in sorted order (the ranks read ties off them).
std::unique_ptr<std::uint64_t[]> argsort_keys(const double* in, std::size_t n, std::uint32_t* order) {
  std::unique_ptr<std::uint64_t[]> keys(new std::uint64_t[n]), keys2(new std::uint64_t[n]);
  std::unique_ptr<std::uint32_t[]> scratch(new std::uint32_t[n]);
  Counts counts(kPasses);
  for (auto& c : counts) c.fill(0);
  for (std::size_t i = 0; i < n; ++i) {
    // -0 and +0 are one value here: their tie keeps index order
    const std::uint64_t k = key_of(in[i] == 0.0 ? 0.0 : in[i]);
    keys[i] = k;
    order[i] = static_cast<std::uint32_t>(i);
    for (int p = 0; p < kPasses; ++p) ++counts[p][digit(k, p)];
  }
  std::uint64_t* ks = keys.get();
  std::uint64_t* kd = keys2.get();
  std::uint32_t* is = order;
  std::uint32_t* id = scratch.get();
  for (int p = 0; p < kPasses; ++p) {
    auto& c = counts[p];
    if (!to_offsets(c, n)) continue;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t at = c[digit(ks[i], p)]++;
      kd[at] = ks[i];
      id[at] = is[i];
    }
    std::swap(ks, kd);
    std::swap(is, id);
  }
  if (is != order) std::memcpy(order, is, n * sizeof(std::uint32_t));
  return ks == keys.get() ? std::move(keys) : std::move(keys2);
}

}  // namespace

void argsort_f64(const double* in, std::size_t n, std::uint32_t* order) {
  if (n == 0) return;
  argsort_keys(in, n, order);
}

void average_ranks(const double* in, std::size_t n, double* ranks) {
  if (n == 0) return;
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
