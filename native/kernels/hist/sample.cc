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

// Radix select over the key bits in two 16-bit digits (narrower digits put the many keys of one
// exponent into a few counters, whose increments then chain: slower here).
constexpr int kDigits = 2;
constexpr int kShift[kDigits] = {16, 0};
constexpr int kWidth[kDigits] = {16, 16};

// Counts of digit `d` over the keys whose higher digits equal `prefix` (all keys for d = 0), over
// all rows in parallel. With gh, the first pass computes the keys, a block at a time so that they
// are counted while still in cache.
std::vector<std::size_t> digit_counts(uint32_t* keys, std::size_t n, int d, uint32_t prefix, const double* gh,
                                      std::size_t k) {
  constexpr std::size_t kBlock = 4096;
  const std::size_t parts = range_count(n), size = std::size_t{1} << kWidth[d];
  const uint32_t mask = static_cast<uint32_t>(size - 1), above = kShift[d] + kWidth[d];
  std::vector<std::vector<uint32_t>> part(parts);
  runtime::parallel_for(parts, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      std::vector<uint32_t>& h = part[t];
      h.assign(size, 0);
      const std::size_t e = range_begin(n, parts, t + 1);
      if (d == 0)
        for (std::size_t b = range_begin(n, parts, t); b < e; b += kBlock) {
          const std::size_t be = std::min(e, b + kBlock);
          if (gh != nullptr) goss_keys(gh, n, k, b, be, keys);
          for (std::size_t r = b; r < be; ++r) ++h[keys[r] >> kShift[0]];
        }
      else
        for (std::size_t r = range_begin(n, parts, t); r < e; ++r)
          if ((keys[r] >> above) == prefix) ++h[(keys[r] >> kShift[d]) & mask];
    }
  });
  std::vector<std::size_t> total(size, 0);
  for (const auto& h : part)
    for (std::size_t i = 0; i < size; ++i) total[i] += h[i];
  return total;
}

// The digit where the count from the top reaches `need`, and the count above that digit.
std::pair<uint32_t, std::size_t> digit_from_top(const std::vector<std::size_t>& counts, std::size_t need) {
  std::size_t above = 0;
  for (std::size_t i = counts.size(); i-- > 0;) {
    if (above + counts[i] >= need) return {static_cast<uint32_t>(i), above};
    above += counts[i];
  }
  return {0, above};
}

// The top_k-th largest key, and how many keys reach it. The keys are computed from gh on the way.
std::pair<uint32_t, std::size_t> kth_largest(uint32_t* keys, std::size_t n, std::size_t top_k, const double* gh,
                                             std::size_t k) {
  uint32_t prefix = 0;
  std::size_t need = top_k, above = 0, at = 0;
  for (int d = 0; d < kDigits; ++d) {
    const std::vector<std::size_t> counts = digit_counts(keys, n, d, prefix, gh, k);
    const auto [digit, higher] = digit_from_top(counts, need);
    prefix = (prefix << kWidth[d]) | digit;
    need -= higher;
    above += higher;
    at = counts[digit];
  }
  return {prefix, above + at};
}

// Flags of rows r0..r1 and their counts, in a loop that vectorises. GOSS: 1 for a top row, 2 for
// a row drawn from the rest; bagging (keys null): 1 for a kept row.
template <bool Goss>
KILN_CLONES void keep_flags(const uint32_t* keys, uint32_t threshold, uint32_t seed, uint32_t limit, uint32_t all,
                            std::size_t r0, std::size_t r1, uint8_t* flags, std::size_t& ones, std::size_t& twos) {
  uint32_t t = 0, m = 0;
  for (std::size_t r = r0; r < r1; ++r) {
    const uint32_t hashed = all | (row_hash(seed, static_cast<uint32_t>(r)) < limit ? 1u : 0u);
    if (Goss) {
      const uint32_t top = keys[r] >= threshold ? 1u : 0u, other = hashed & (top ^ 1u);
      flags[r] = static_cast<uint8_t>(top | (other << 1));
      t += top;
      m += other;
    } else {
      flags[r] = static_cast<uint8_t>(hashed);
      t += hashed;
    }
  }
  ones = t;
  twos = m;
}

// Writes the rows flagged `flag` at o, ascending: each row is written at the next slot and the
// slot taken when flagged; stopping once the range's `mine` rows are in keeps the last write off
// the next range's first slot.
void write_flagged(const uint8_t* flags, uint8_t flag, std::size_t r0, std::size_t r1, std::size_t mine, int32_t* o) {
  std::size_t j = 0;
  for (std::size_t r = r0; r < r1 && j < mine; ++r) {
    o[j] = static_cast<int32_t>(r);
    j += flags[r] == flag ? 1 : 0;
  }
}

// Writes the flagged rows — the rows flagged 1 ascending, then those flagged 2 ascending — and
// returns how many of each: counted per range, then each range writes at its offsets.
std::pair<std::size_t, std::size_t> gather(std::size_t n, const uint32_t* keys, uint32_t threshold, uint32_t seed,
                                           uint64_t limit, int32_t* out) {
  const std::size_t parts = range_count(n);
  runtime::Scratch<uint8_t> flag_scratch(n);
  uint8_t* flags = flag_scratch.data();
  const uint32_t all = limit > 0xffffffffu ? 1 : 0,
                 limit32 = static_cast<uint32_t>(std::min<uint64_t>(limit, 0xffffffffu));
  std::vector<std::size_t> ones(parts + 1, 0), twos(parts + 1, 0);
  runtime::parallel_for(parts, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      const std::size_t r0 = range_begin(n, parts, t), r1 = range_begin(n, parts, t + 1);
      if (keys != nullptr)
        keep_flags<true>(keys, threshold, seed, limit32, all, r0, r1, flags, ones[t + 1], twos[t + 1]);
      else keep_flags<false>(keys, threshold, seed, limit32, all, r0, r1, flags, ones[t + 1], twos[t + 1]);
    }
  });
  for (std::size_t t = 0; t < parts; ++t) {
    ones[t + 1] += ones[t];
    twos[t + 1] += twos[t];
  }
  int32_t* drawn_out = out + ones[parts];
  runtime::parallel_for(parts, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      const std::size_t r0 = range_begin(n, parts, t), r1 = range_begin(n, parts, t + 1);
      write_flagged(flags, 1, r0, r1, ones[t + 1] - ones[t], out + ones[t]);
      write_flagged(flags, 2, r0, r1, twos[t + 1] - twos[t], drawn_out + twos[t]);
    }
  });
  return {ones[parts], twos[parts]};
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
  const std::size_t rest = n - kth.second;
  const double q = rest > 0 ? static_cast<double>(other_k) / static_cast<double>(rest) : 1;
  const std::pair<std::size_t, std::size_t> kept = gather(n, keys, kth.first, a.seed, hash_limit(q), a.out);
  if (q < 1) {
    // The drawn rows follow the top rows in out: scaled without looking at their keys.
    const double up = static_cast<double>(rest) / static_cast<double>(other_k);
    const int32_t* drawn = a.out + kept.first;
    runtime::parallel_for(kept.second, kChunk, [&](std::size_t j0, std::size_t j1) {
      for (std::size_t j = j0; j < j1; ++j) {
        const std::size_t r = static_cast<std::size_t>(drawn[j]);
        for (std::size_t c = 0; c < a.k; ++c) {
          a.grad_hess[2 * (c * n + r)] *= up;
          a.grad_hess[2 * (c * n + r) + 1] *= up;
        }
      }
    });
  }
  return kept.first + kept.second;  // >= top_k >= 1
}

}  // namespace

std::size_t sample_rows(const SampleArgs& a) {
  if (a.n == 0) return 0;
  if (a.goss) return goss(a);
  const uint64_t limit = hash_limit(a.rate);
  const uint32_t seed = a.seed;
  return at_least_one(a, gather(a.n, nullptr, 0, seed, limit, a.out).first);
}

}  // namespace kiln::hist
