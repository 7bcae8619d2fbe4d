// xoshiro128**, step for step as src/core/prng.ts's Rng.nextUint32, for kernels that must draw the
// same numbers as the JavaScript generator (binning's row sample, the rows' shuffle).
#pragma once
#include <cstdint>

namespace kiln::runtime {

struct Xoshiro128 {
  uint32_t a, b, c, d;
  static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
  uint32_t next() {
    const uint32_t result = rotl(b * 5, 7) * 9, t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  }
  // Uniform in [0, n) for n in [1, 2^32], as Rng.int: draws below the largest multiple of n. That
  // multiple is past 2^32 - n, so a draw below 2^32 - n is kept without dividing for it; n below
  // 2^32 takes a 32-bit remainder (two 64-bit divisions a draw made a 100,000-row shuffle ~1.7x slower).
  uint32_t below(uint64_t n) {
    constexpr uint64_t range = uint64_t{1} << 32;
    for (;;) {
      const uint32_t x = next();
      if (x + n > range && x >= range / n * n) continue;
      return n < range ? x % static_cast<uint32_t>(n) : x;
    }
  }
};

}  // namespace kiln::runtime
