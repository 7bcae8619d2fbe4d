#include "sample.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "../../runtime/large_alloc.h"
#include "../../runtime/simd_clones.h"
#include "../../runtime/thread_pool.h"
#include "quantize.h"

namespace kiln::hist {

namespace {

constexpr std::size_t kChunk = 65536;

// Contiguous row ranges, one per thread (at least kChunk rows each): each keeps one 64k-entry
// digit count, and a range's kept rows are written at one offset.
std::size_t range_count(std::size_t n) {
  return std::max<std::size_t>(1, std::min(runtime::thread_count(), (n + kChunk - 1) / kChunk));
}
std::size_t range_begin(std::size_t n, std::size_t parts, std::size_t t) { return n * t / parts; }

// GOSS keys of rows r0..r1: Σ_c |g · h| rounded to a float, as its bits (ordered like the values
// for non-negative floats; a NaN sorts above +inf).
KILN_CLONES void goss_keys(const double* gh, std::size_t n, std::size_t k, std::size_t r0, std::size_t r1,
                           uint32_t* keys) {
  for (std::size_t r = r0; r < r1; ++r) {
    double s = 0;
    for (std::size_t c = 0; c < k; ++c) s += std::abs(gh[2 * (c * n + r)] * gh[2 * (c * n + r) + 1]);
    const float f = static_cast<float>(s);
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    keys[r] = bits & 0x7fffffffu;  // |NaN| keeps its payload; -0 becomes 0
  }
}

// Counts of 16-bit digits (the high half of the keys, or the low half of those whose high half
// is `high`), over all rows in parallel. With gh, the high pass first computes the keys, a block
// at a time so that they are counted while still in cache.
std::vector<std::size_t> digit_counts(uint32_t* keys, std::size_t n, bool low, uint32_t high,
                                      const double* gh = nullptr, std::size_t k = 1) {
  constexpr std::size_t kBlock = 4096;
  const std::size_t parts = range_count(n);
  std::vector<std::vector<uint32_t>> part(parts);
  runtime::parallel_for(parts, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      std::vector<uint32_t>& h = part[t];
      h.assign(65536, 0);
      const std::size_t e = range_begin(n, parts, t + 1);
      if (!low)
        for (std::size_t b = range_begin(n, parts, t); b < e; b += kBlock) {
          const std::size_t be = std::min(e, b + kBlock);
          if (gh != nullptr) goss_keys(gh, n, k, b, be, keys);
          for (std::size_t r = b; r < be; ++r) ++h[keys[r] >> 16];
        }
      else
        for (std::size_t r = range_begin(n, parts, t); r < e; ++r)
          if ((keys[r] >> 16) == high) ++h[keys[r] & 0xffffu];
    }
  });
  std::vector<std::size_t> total(65536, 0);
  for (const auto& h : part)
    for (std::size_t d = 0; d < 65536; ++d) total[d] += h[d];
  return total;
}

// The digit where the count from the top reaches `need`, and the count above that digit.
std::pair<uint32_t, std::size_t> digit_from_top(const std::vector<std::size_t>& counts, std::size_t need) {
  std::size_t above = 0;
  for (std::size_t d = 65536; d-- > 0;) {
    if (above + counts[d] >= need) return {static_cast<uint32_t>(d), above};
    above += counts[d];
  }
  return {0, above};
}

// The top_k-th largest key (radix select on two 16-bit digits), and how many keys reach it.
// The keys are computed from gh on the way.
std::pair<uint32_t, std::size_t> kth_largest(uint32_t* keys, std::size_t n, std::size_t top_k, const double* gh,
                                             std::size_t k) {
  const auto [high, above_high] = digit_from_top(digit_counts(keys, n, false, 0, gh, k), top_k);
  const std::vector<std::size_t> lows = digit_counts(keys, n, true, high);
  const auto [low, above_low] = digit_from_top(lows, top_k - above_high);
  return {(high << 16) | low, above_high + above_low + lows[low]};
}

// Keep flags of rows r0..r1 (1: kept) and their count, in one loop that vectorises: bagging's
// hash test, or GOSS's key test or hash test (threshold 0: bagging).
KILN_CLONES std::size_t keep_flags(const uint32_t* keys, uint32_t threshold, uint32_t seed, uint32_t limit,
                                   bool all_hashes, std::size_t r0, std::size_t r1, uint8_t* flags) {
  std::size_t m = 0;
  for (std::size_t r = r0; r < r1; ++r) {
    const bool top = keys != nullptr && keys[r] >= threshold;
    const uint8_t f = (top || all_hashes || row_hash(seed, static_cast<uint32_t>(r)) < limit) ? 1 : 0;
    flags[r] = f;
    m += f;
  }
  return m;
}

// Writes the flagged rows, ascending, and returns how many: counted per range, then each range
// writes at its offset without a branch.
std::size_t gather(std::size_t n, const uint32_t* keys, uint32_t threshold, uint32_t seed, uint64_t limit,
                   int32_t* out) {
  const std::size_t parts = range_count(n);
  runtime::Scratch<uint8_t> flag_scratch(n);
  uint8_t* flags = flag_scratch.data();
  const bool all_hashes = limit > 0xffffffffu;
  std::vector<std::size_t> count(parts + 1, 0);
  runtime::parallel_for(parts, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t)
      count[t + 1] = keep_flags(keys, threshold, seed, static_cast<uint32_t>(std::min<uint64_t>(limit, 0xffffffffu)),
                                all_hashes, range_begin(n, parts, t), range_begin(n, parts, t + 1), flags);
  });
  for (std::size_t t = 0; t < parts; ++t) count[t + 1] += count[t];
  runtime::parallel_for(parts, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      int32_t* o = out + count[t];
      const std::size_t mine = count[t + 1] - count[t], e = range_begin(n, parts, t + 1);
      std::size_t j = 0;
      // Each row is written at the next slot and the slot taken when flagged; stopping once the
      // range's rows are in keeps the last write off the next range's first slot.
      for (std::size_t r = range_begin(n, parts, t); r < e && j < mine; ++r) {
        o[j] = static_cast<int32_t>(r);
        j += flags[r];
      }
    }
  });
  return count[parts];
}

// Hashes below this keep a row with probability q (q >= 1: every row).
uint64_t hash_limit(double q) {
  return q >= 1 ? (uint64_t{1} << 32) : static_cast<uint64_t>(std::floor(q * 4294967296.0));
}

std::size_t at_least_one(const SampleArgs& a, std::size_t kept) {
  if (kept > 0) return kept;
  std::size_t best = 0;
  for (std::size_t r = 1; r < a.n; ++r)
    if (row_hash(a.seed, static_cast<uint32_t>(r)) < row_hash(a.seed, static_cast<uint32_t>(best))) best = r;
  a.out[0] = static_cast<int32_t>(best);
  return 1;
}

std::size_t goss(const SampleArgs& a) {
  const std::size_t n = a.n;
  const std::size_t top_k = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(n * a.top_rate)));
  const std::size_t other_k = static_cast<std::size_t>(std::floor(n * a.other_rate));
  if (top_k + other_k >= n) {
    for (std::size_t r = 0; r < n; ++r) a.out[r] = static_cast<int32_t>(r);
    return n;
  }
  runtime::Scratch<uint32_t> key_scratch(n);  // reused pages, round after round
  uint32_t* keys = key_scratch.data();
  const std::pair<uint32_t, std::size_t> kth = kth_largest(keys, n, top_k, a.grad_hess, a.k);
  const uint32_t threshold = kth.first;
  const std::size_t rest = n - kth.second;
  const double q = rest > 0 ? static_cast<double>(other_k) / static_cast<double>(rest) : 1;
  const uint64_t limit = hash_limit(q);
  const uint32_t seed = a.seed;
  const std::size_t kept = gather(n, keys, threshold, seed, limit, a.out);
  if (q < 1) {
    const double up = static_cast<double>(rest) / static_cast<double>(other_k);
    runtime::parallel_for(kept, kChunk, [&](std::size_t j0, std::size_t j1) {
      for (std::size_t j = j0; j < j1; ++j) {
        const std::size_t r = static_cast<std::size_t>(a.out[j]);
        if (keys[r] >= threshold) continue;
        for (std::size_t c = 0; c < a.k; ++c) {
          a.grad_hess[2 * (c * n + r)] *= up;
          a.grad_hess[2 * (c * n + r) + 1] *= up;
        }
      }
    });
  }
  return kept;  // >= top_k >= 1
}

}  // namespace

std::size_t sample_rows(const SampleArgs& a) {
  if (a.n == 0) return 0;
  if (a.goss) return goss(a);
  const uint64_t limit = hash_limit(a.rate);
  const uint32_t seed = a.seed;
  return at_least_one(a, gather(a.n, nullptr, 0, seed, limit, a.out));
}

}  // namespace kiln::hist
