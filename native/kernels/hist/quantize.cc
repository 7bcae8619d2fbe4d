#include "quantize.h"

#include <cfloat>
#include <vector>

#include "../../runtime/simd_clones.h"
#include "../../runtime/thread_pool.h"

namespace kiln::hist {

namespace {

constexpr std::size_t kScanChunk = 65536;
// Scattered rows are prefetched this many rows ahead: each is a cache miss that the hardware
// prefetcher, seeing no stride, does not start.
constexpr std::size_t kAhead = 32;

struct Extremes {
  double g_max = 0, h_max = 0, h_min = 0;
  bool nan = false;
};

KILN_CLONES Extremes extremes(const double* gh, const int32_t* idx, std::size_t j0, std::size_t j1) {
  double g_max = 0, h_max = 0, h_min = 0;
  bool nan = false;
  for (std::size_t j = j0; j < j1; ++j) {
    const std::size_t r = idx != nullptr ? static_cast<std::size_t>(idx[j]) : j;
    if (idx != nullptr && j + kAhead < j1) __builtin_prefetch(gh + 2 * static_cast<std::size_t>(idx[j + kAhead]));
    const double g = gh[2 * r], h = gh[2 * r + 1];
    g_max = std::max(g_max, std::abs(g));  // as quant_scales: a NaN leaves the maximum as it was
    h_max = std::max(h_max, h);
    h_min = std::min(h_min, h);
    nan |= (g != g) | (h != h);
  }
  return {g_max, h_max, h_min, nan};
}

}  // namespace

QuantScan quant_scan(const double* gh, const int32_t* idx, std::size_t m) {
  std::vector<Extremes> part((m + kScanChunk - 1) / kScanChunk);
  runtime::parallel_blocks(m, kScanChunk,
                           [&](std::size_t c, std::size_t j0, std::size_t j1) { part[c] = extremes(gh, idx, j0, j1); });
  Extremes e;
  for (const Extremes& x : part) {
    e.g_max = std::max(e.g_max, x.g_max);
    e.h_max = std::max(e.h_max, x.h_max);
    e.h_min = std::min(e.h_min, x.h_min);
    e.nan |= x.nan;
  }
  QuantScan out;
  out.scales = {e.g_max > 0 ? e.g_max / kQuantMax : 1, e.h_max > 0 ? e.h_max / kQuantMax : 1};
  out.plain = !e.nan && e.g_max <= DBL_MAX && e.h_max <= DBL_MAX && e.h_min / out.scales.h > -1073741824.0;
  return out;
}

namespace {

// quantize_row's arithmetic for row r; floor by truncation, exact below 2^31.
inline int16_t code_of(const double* gh, uint32_t seed, double sg, double sh, std::size_t r) {
  const uint32_t bits = row_hash(seed, static_cast<uint32_t>(r));
  const double u_g = static_cast<int32_t>(bits >> 16) * (1.0 / 65536.0);
  const double u_h = static_cast<int32_t>(bits & 0xffffu) * (1.0 / 65536.0);
  const double vg = gh[2 * r] / sg + u_g, vh = gh[2 * r + 1] / sh + u_h;
  const int32_t tg = static_cast<int32_t>(vg), th = static_cast<int32_t>(vh);
  const int32_t g = tg - (static_cast<double>(tg) > vg ? 1 : 0);
  const int32_t h = std::clamp(th - (static_cast<double>(th) > vh ? 1 : 0), 0, kQuantMax);
  return static_cast<int16_t>(g * 128 + h);
}

}  // namespace

KILN_CLONES void quantize_codes(const double* gh, uint32_t seed, const QuantScales& s, std::size_t r0, std::size_t r1,
                                int16_t* codes) {
  for (std::size_t r = r0; r < r1; ++r) codes[r] = code_of(gh, seed, s.g, s.h, r);
}

KILN_CLONES void quantize_codes_of_rows(const double* gh, uint32_t seed, const QuantScales& s, const int32_t* rows,
                                        std::size_t j0, std::size_t j1, int16_t* codes) {
  for (std::size_t j = j0; j < j1; ++j) {
    if (j + kAhead < j1) __builtin_prefetch(gh + 2 * static_cast<std::size_t>(rows[j + kAhead]));
    const std::size_t r = static_cast<std::size_t>(rows[j]);
    codes[r] = code_of(gh, seed, s.g, s.h, r);
  }
}

void quantize_packed16(const Quant16Args& a) {
  const QuantScales s = quant_scan(a.grad_hess, a.rows, a.m).scales;
  const uint32_t seed = quant_seed(a.seed);
  constexpr std::size_t kChunk = 65536;
  const std::size_t chunks = (a.m + kChunk - 1) / kChunk;
  std::vector<int64_t> g_sum(chunks, 0), h_sum(chunks, 0);
  runtime::parallel_blocks(a.m, kChunk, [&](std::size_t c, std::size_t j0, std::size_t j1) {
    int64_t gs = 0, hs = 0;
    for (std::size_t j = j0; j < j1; ++j) {
      const uint32_t r = static_cast<uint32_t>(a.rows != nullptr ? a.rows[j] : static_cast<int32_t>(j));
      int64_t g, h;
      quantize_row(a.grad_hess, seed, s, r, g, h);
      a.out[j] = static_cast<int32_t>((static_cast<uint32_t>(g) << 16) | static_cast<uint32_t>(h));
      gs += g;
      hs += h;
    }
    g_sum[c] = gs;
    h_sum[c] = hs;
  });
  int64_t G = 0, H = 0;
  for (std::size_t c = 0; c < chunks; ++c) {
    G += g_sum[c];
    H += h_sum[c];
  }
  a.info[0] = static_cast<double>(G);
  a.info[1] = static_cast<double>(H);
  a.info[2] = s.g;
  a.info[3] = s.h;
}

}  // namespace kiln::hist
