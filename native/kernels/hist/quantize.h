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

inline void quantize_row(const double* gh, uint32_t seed, const QuantScales& s, uint32_t r, int64_t& g, int64_t& h) {
  const uint32_t bits = row_hash(seed, r);
  const double u_g = (bits >> 16) * (1.0 / 65536.0), u_h = (bits & 0xffffu) * (1.0 / 65536.0);
  g = floor_to_int(gh[2 * r] / s.g + u_g);
  h = std::clamp<int64_t>(floor_to_int(gh[2 * r + 1] / s.h + u_h), 0, kQuantMax);
}

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
