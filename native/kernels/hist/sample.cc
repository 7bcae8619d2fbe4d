#include "sample.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <vector>

#include "../../runtime/cpu_features.h"
#include "../../runtime/large_alloc.h"
#include "../../runtime/simd_clones.h"
#include "../../runtime/thread_pool.h"
#include "quantize.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define KILN_SAMPLE_AVX512 1
#endif

namespace kiln::hist {

namespace {

constexpr std::size_t kChunk = 65536;

// Contiguous row ranges, one per thread (at least kChunk rows each): each scans its keys against
// the bracket (or counts its digits), and a range's kept rows are written at one offset.
std::size_t range_count(std::size_t n) {
  return std::max<std::size_t>(1, std::min(runtime::thread_count(), (n + kChunk - 1) / kChunk));
}
std::size_t range_begin(std::size_t n, std::size_t parts, std::size_t t) { return n * t / parts; }

// The GOSS key of row r: Σ_c |g · h| rounded to a float, as its bits (ordered like the values for
// non-negative floats; a NaN sorts above +inf).
inline uint32_t goss_key(const double* gh, std::size_t n, std::size_t k, std::size_t r) {
  double s = 0;
  for (std::size_t c = 0; c < k; ++c) s += std::abs(gh[2 * (c * n + r)] * gh[2 * (c * n + r) + 1]);
  const float f = static_cast<float>(s);
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits & 0x7fffffffu;  // |NaN| keeps its payload; -0 becomes 0
}

}  // namespace

KILN_CLONES void goss_keys(const double* gh, std::size_t n, std::size_t k, std::size_t r0, std::size_t r1,
                           uint32_t* keys) {
  if (k != 1) {
    for (std::size_t r = r0; r < r1; ++r) keys[r] = goss_key(gh, n, k, r);
    return;
  }
  for (std::size_t r = r0; r < r1; ++r) {  // one class block: a loop that vectorises (same values)
    const float f = static_cast<float>(std::abs(gh[2 * r] * gh[2 * r + 1]));
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    keys[r] = bits & 0x7fffffffu;
  }
}

namespace {

// Radix select over the key bits in two 16-bit digits (narrower digits put the many keys of one
// exponent into a few counters, whose increments then chain: slower here): the fallback of the
// bracket select below.
constexpr int kDigits = 2;
constexpr int kShift[kDigits] = {16, 0};
constexpr int kWidth[kDigits] = {16, 16};

// Counts of digit `d` over the keys whose higher digits equal `prefix` (all keys for d = 0), over
// all rows in parallel.
std::vector<std::size_t> digit_counts(const uint32_t* keys, std::size_t n, int d, uint32_t prefix) {
  const std::size_t parts = range_count(n), size = std::size_t{1} << kWidth[d];
  const uint32_t mask = static_cast<uint32_t>(size - 1), above = kShift[d] + kWidth[d];
  std::vector<std::vector<uint32_t>> part(parts);
  runtime::parallel_for(parts, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      std::vector<uint32_t>& h = part[t];
      h.assign(size, 0);
      const std::size_t e = range_begin(n, parts, t + 1);
      for (std::size_t r = range_begin(n, parts, t); r < e; ++r)
        if (d == 0 || (keys[r] >> above) == prefix) ++h[(keys[r] >> kShift[d]) & mask];
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

// The top_k-th largest key, and how many keys reach it, by radix select (two counting passes).
std::pair<uint32_t, std::size_t> kth_by_radix(const uint32_t* keys, std::size_t n, std::size_t top_k) {
  uint32_t prefix = 0;
  std::size_t need = top_k, above = 0, at = 0;
  for (int d = 0; d < kDigits; ++d) {
    const std::vector<std::size_t> counts = digit_counts(keys, n, d, prefix);
    const auto [digit, higher] = digit_from_top(counts, need);
    prefix = (prefix << kWidth[d]) | digit;
    need -= higher;
    above += higher;
    at = counts[digit];
  }
  return {prefix, above + at};
}

// Keys between lo and hi (both included): the bracket a sample puts around the top_k-th largest.
struct Bracket {
  uint32_t lo = 0, hi = 0xffffffffu;
};

// Rows sampled for the bracket, one from each stretch of n / kSampleRows rows (a hash picks the row
// within its stretch, so that periodic data cannot line up with the sample).
constexpr std::size_t kSampleRows = 32768;

// The sampled keys at ranks t ∓ margin from the top (t = the sample's share of top_k; margin = 5
// binomial standard deviations + 8 ranks), so that the top_k-th largest of all keys falls inside
// but for a draw in millions (which only costs the radix select).
// `given`: the keys of every row, else computed from gh for the sampled rows.
Bracket bracket_from_sample(const uint32_t* given, const double* gh, std::size_t n, std::size_t k, std::size_t top_k,
                            uint32_t seed) {
  const std::size_t m = std::min(n, kSampleRows);
  std::vector<uint32_t> keys(m);
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t b = n * j / m, e = n * (j + 1) / m;  // non-empty: m <= n
    const std::size_t r = b + row_hash(seed, static_cast<uint32_t>(j)) % (e - b);
    keys[j] = given != nullptr ? given[r] : goss_key(gh, n, k, r);
  }
  const double share = static_cast<double>(top_k) / static_cast<double>(n), t = share * static_cast<double>(m);
  const double margin = 5 * std::sqrt(static_cast<double>(m) * share * (1 - share)) + 8;
  // Ranks from the top: the higher bound first, then the lower among the keys it left below it.
  std::size_t from = 0;
  const auto key_at = [&](std::size_t rank) {
    const auto begin = keys.begin() + static_cast<std::ptrdiff_t>(from);
    std::nth_element(begin, keys.begin() + static_cast<std::ptrdiff_t>(rank), keys.end(), std::greater<>());
    from = rank + 1;
    return keys[rank];
  };
  Bracket bracket;
  if (t - margin >= 0) bracket.hi = key_at(static_cast<std::size_t>(t - margin));
  if (t + margin < static_cast<double>(m - 1)) bracket.lo = key_at(static_cast<std::size_t>(std::ceil(t + margin)));
  return bracket;
}

// Keys r0..r1 against the bracket: returns how many lie above it and writes those inside at
// inside[count..] (count advanced; room for 16 more than the range holds inside is needed).
std::size_t bracket_scan(const uint32_t* keys, std::size_t r0, std::size_t r1, Bracket bracket, uint32_t* inside,
                         std::size_t& count) {
  const uint32_t lo = bracket.lo, hi = bracket.hi, width = hi - lo;
  std::size_t above = 0;
  for (std::size_t r = r0; r < r1; ++r) {
    above += keys[r] > hi ? 1 : 0;
    if (keys[r] - lo <= width) inside[count++] = keys[r];
  }
  return above;
}

#ifdef KILN_SAMPLE_AVX512
// bracket_scan 16 keys a step (the inside ones, a few percent, packed by a register compress).
__attribute__((target("avx512f,avx512bw,avx512vl,popcnt"))) std::size_t bracket_scan_avx512(
    const uint32_t* keys, std::size_t r0, std::size_t r1, Bracket bracket, uint32_t* inside, std::size_t& count) {
  const __m512i lo = _mm512_set1_epi32(static_cast<int32_t>(bracket.lo)),
                hi = _mm512_set1_epi32(static_cast<int32_t>(bracket.hi)),
                width = _mm512_set1_epi32(static_cast<int32_t>(bracket.hi - bracket.lo));
  std::size_t above = 0, r = r0;
  for (; r + 16 <= r1; r += 16) {
    const __m512i v = _mm512_loadu_si512(keys + r);
    above += static_cast<std::size_t>(_mm_popcnt_u32(_mm512_cmpgt_epu32_mask(v, hi)));
    const __mmask16 in = _mm512_cmple_epu32_mask(_mm512_sub_epi32(v, lo), width);
    if (in != 0) {
      _mm512_storeu_si512(inside + count, _mm512_maskz_compress_epi32(in, v));
      count += static_cast<std::size_t>(_mm_popcnt_u32(in));
    }
  }
  return above + bracket_scan(keys, r, r1, bracket, inside, count);
}
#endif

// The top_k-th largest key and how many keys reach it: one pass counts the keys above a sampled
// bracket and keeps those inside (computing each key from gh into `compute` first, when given: then
// keys is compute), then the answer is selected among those. Falls back to the radix select (over
// the keys now all there) when the bracket misses or holds too many keys (ties): the same answer
// either way.
std::pair<uint32_t, std::size_t> kth_largest(const uint32_t* keys, uint32_t* compute, std::size_t n, std::size_t top_k,
                                             const double* gh, std::size_t k, uint32_t seed) {
  constexpr std::size_t kBlock = 4096;  // keys tested while still in cache
#ifdef KILN_SAMPLE_AVX512
  static const bool wide = runtime::cpu_features().level == runtime::SimdLevel::Avx512;
#endif
  const Bracket bracket = bracket_from_sample(compute != nullptr ? nullptr : keys, gh, n, k, top_k, seed);
  const std::size_t parts = range_count(n);
  // Each range's inside keys get an eighth of its rows plus a block, and 16 spare slots for the
  // vector store; a block is scanned only when it fits whole.
  std::vector<std::size_t> base(parts + 1, 0), cap(parts), count(parts, 0), above(parts, 0);
  for (std::size_t t = 0; t < parts; ++t) {
    cap[t] = (range_begin(n, parts, t + 1) - range_begin(n, parts, t)) / 8 + kBlock;
    base[t + 1] = base[t] + cap[t] + 16;
  }
  runtime::Scratch<uint32_t> inside_scratch(base[parts]);  // reused pages, round after round
  uint32_t* inside = inside_scratch.data();
  runtime::parallel_for(parts, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      const std::size_t e = range_begin(n, parts, t + 1);
      for (std::size_t b = range_begin(n, parts, t); b < e; b += kBlock) {
        const std::size_t be = std::min(e, b + kBlock);
        if (compute != nullptr) goss_keys(gh, n, k, b, be, compute);
        if (count[t] > cap[t]) continue;     // too many inside (ties): the radix select will answer
        if (count[t] + (be - b) > cap[t]) {  // the block might not fit
          count[t] = cap[t] + 1;
          continue;
        }
#ifdef KILN_SAMPLE_AVX512
        if (wide) {
          above[t] += bracket_scan_avx512(keys, b, be, bracket, inside + base[t], count[t]);
          continue;
        }
#endif
        above[t] += bracket_scan(keys, b, be, bracket, inside + base[t], count[t]);
      }
    }
  });
  std::size_t a = 0, m = 0;
  for (std::size_t t = 0; t < parts; ++t) {
    if (count[t] > cap[t]) return kth_by_radix(keys, n, top_k);
    a += above[t];
    m += count[t];
  }
  if (a >= top_k || a + m < top_k) return kth_by_radix(keys, n, top_k);
  std::vector<uint32_t> all;
  all.reserve(m);
  for (std::size_t t = 0; t < parts; ++t) all.insert(all.end(), inside + base[t], inside + base[t] + count[t]);
  const std::size_t need = top_k - a;  // rank of the answer among the inside keys, from the top
  std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(need - 1), all.end(), std::greater<>());
  const uint32_t kth = all[need - 1];
  std::size_t reach = a;
  for (const uint32_t key : all) reach += key >= kth ? 1 : 0;
  return {kth, reach};
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

#ifdef KILN_SAMPLE_AVX512
// write_flagged for flags 1 (at o1) and 2 (at o2) in one pass, 16 rows a step: each flag's rows
// packed by a register compress (a compress straight to memory is slow on some cores) and stored
// under a mask of that many lanes, so no slot outside the range's own is written.
__attribute__((target("avx512f,avx512bw,avx512vl,popcnt"))) void write_flagged_avx512(const uint8_t* flags,
                                                                                      std::size_t r0, std::size_t r1,
                                                                                      int32_t* o1, int32_t* o2) {
  const __m128i one = _mm_set1_epi8(1), two = _mm_set1_epi8(2);
  const __m512i step = _mm512_set1_epi32(16);
  __m512i rows = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int32_t>(r0)),
                                  _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  std::size_t r = r0;
  for (; r + 16 <= r1; r += 16) {
    const __m128i f = _mm_loadu_si128(reinterpret_cast<const __m128i*>(flags + r));
    const __mmask16 m1 = _mm_cmpeq_epi8_mask(f, one), m2 = _mm_cmpeq_epi8_mask(f, two);
    const unsigned c1 = static_cast<unsigned>(_mm_popcnt_u32(m1)), c2 = static_cast<unsigned>(_mm_popcnt_u32(m2));
    _mm512_mask_storeu_epi32(o1, static_cast<__mmask16>((1u << c1) - 1), _mm512_maskz_compress_epi32(m1, rows));
    _mm512_mask_storeu_epi32(o2, static_cast<__mmask16>((1u << c2) - 1), _mm512_maskz_compress_epi32(m2, rows));
    o1 += c1;
    o2 += c2;
    rows = _mm512_add_epi32(rows, step);
  }
  for (; r < r1; ++r) {
    if (flags[r] == 1) *o1++ = static_cast<int32_t>(r);
    if (flags[r] == 2) *o2++ = static_cast<int32_t>(r);
  }
}
#endif

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
#ifdef KILN_SAMPLE_AVX512
  static const bool wide = runtime::cpu_features().level == runtime::SimdLevel::Avx512;
#endif
  runtime::parallel_for(parts, 1, [&](std::size_t t0, std::size_t t1) {
    for (std::size_t t = t0; t < t1; ++t) {
      const std::size_t r0 = range_begin(n, parts, t), r1 = range_begin(n, parts, t + 1);
#ifdef KILN_SAMPLE_AVX512
      if (wide) {
        write_flagged_avx512(flags, r0, r1, out + ones[t], drawn_out + twos[t]);
        continue;
      }
#endif
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
  // The keys the gradients call wrote (read only), or computed into scratch (pages reused round after round).
  runtime::Scratch<uint32_t> key_scratch(a.keys != nullptr ? 0 : n);
  const uint32_t* keys = a.keys != nullptr ? a.keys : key_scratch.data();
  const std::pair<uint32_t, std::size_t> kth =
      kth_largest(keys, a.keys != nullptr ? nullptr : key_scratch.data(), n, top_k, a.grad_hess, a.k, a.seed);
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
