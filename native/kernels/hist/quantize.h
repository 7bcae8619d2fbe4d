// Quantised gradients (int8 with stochastic rounding), shared by the tree grower and by the
// WebGPU engine's host side (through the binding), so both see the very same integers.
//   scale_g = max |g| / 127, scale_h = max h / 127 over the rows a tree grows from;
//   q = floor(x / scale + u), u from a stateless hash of (seed, row); h clamped to [0, 127].
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace kiln::hist {

constexpr int32_t kQuantMax = 127;

// A stateless 32-bit hash of (seed, row): the rounding noise, reproducible anywhere
// (u32 multiply, xor, shift only).
inline uint32_t row_hash(uint32_t seed, uint32_t row) {
  uint32_t h = seed ^ (row * 0x9E3779B1u);
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h;
}

inline uint32_t quant_seed(uint64_t seed) { return static_cast<uint32_t>(seed ^ (seed >> 32)); }

struct QuantScales {
  double g = 1, h = 1;
};

// Scales over rows idx[0..m) (all rows 0..m-1 when idx is null) of interleaved (g, h) pairs.
inline QuantScales quant_scales(const double* gh, const int32_t* idx, std::size_t m) {
  double g_max = 0, h_max = 0;
  for (std::size_t j = 0; j < m; ++j) {
    const std::size_t r = idx != nullptr ? static_cast<std::size_t>(idx[j]) : j;
    g_max = std::max(g_max, std::abs(gh[2 * r]));
    h_max = std::max(h_max, gh[2 * r + 1]);
  }
  return {g_max > 0 ? g_max / kQuantMax : 1, h_max > 0 ? h_max / kQuantMax : 1};
}

// floor(v) for |v| < 2^52 by truncation (baseline x86-64 has no rounding instruction, and a
// libm call per row costs more than the rest of the row); std::floor beyond that.
inline int64_t floor_to_int(double v) {
  if (!(std::abs(v) < 4503599627370496.0)) return static_cast<int64_t>(std::floor(v));
  const int64_t t = static_cast<int64_t>(v);
  return t - (static_cast<double>(t) > v ? 1 : 0);
}

// quant_scales with the rows split among threads (a maximum does not depend on the order: the
// same scales), and whether every value is finite with hessians above -2^30 scale units: then
// quantize_codes may stand in for quantize_row.
struct QuantScan {
  QuantScales scales;
  bool plain = false;
};
QuantScan quant_scan(const double* gh, const int32_t* idx, std::size_t m);

inline void quantize_row(const double* gh, uint32_t seed, const QuantScales& s, uint32_t r, int64_t& g, int64_t& h) {
  const uint32_t bits = row_hash(seed, r);
  const double u_g = (bits >> 16) * (1.0 / 65536.0), u_h = (bits & 0xffffu) * (1.0 / 65536.0);
  g = floor_to_int(gh[2 * r] / s.g + u_g);
  h = std::clamp<int64_t>(floor_to_int(gh[2 * r + 1] / s.h + u_h), 0, kQuantMax);
}

// The grower's row codes q = g * 128 + h (g in [-128, 128], h in [0, 127]: g = q >> 7, h = q & 127)
// for rows r0..r1, the integers quantize_row gives, computed by a loop that vectorises; only
// where quant_scan found the values plain (every |x / scale + u| then stays below 2^31).
void quantize_codes(const double* gh, uint32_t seed, const QuantScales& s, std::size_t r0, std::size_t r1,
                    int16_t* codes);
// quantize_codes for the rows rows[j0..j1) (codes indexed by row).
void quantize_codes_of_rows(const double* gh, uint32_t seed, const QuantScales& s, const int32_t* rows, std::size_t j0,
                            std::size_t j1, int16_t* codes);
inline int16_t quant_code(int64_t g, int64_t h) { return static_cast<int16_t>(g * 128 + h); }

// For the WebGPU engine: out[j] = (g << 16) | h for row rows[j] (or j), and the sums and scales.
struct Quant16Args {
  const double* grad_hess = nullptr;
  const int32_t* rows = nullptr;  // or null for rows 0..m-1
  std::size_t m = 0;
  uint64_t seed = 0;
  int32_t* out = nullptr;
  double* info = nullptr;  // 4: sum of g, sum of h, scale g, scale h
};

void quantize_packed16(const Quant16Args& a);

}  // namespace kiln::hist
