// Xoshiro128::below against the plain rejection rule (keep a draw below the largest multiple of n,
// take its remainder): the same numbers from the same state, for bounds whose rejections are rare and
// for bounds that reject up to a quarter of the draws (3 x 2^30), 2^32 included.
#include <gtest/gtest.h>

#include <cstdint>

#include "../runtime/xoshiro.h"

namespace {

uint32_t plain_below(kiln::runtime::Xoshiro128& rng, uint64_t n) {
  const uint64_t limit = ((uint64_t{1} << 32) / n) * n;
  for (;;) {
    const uint64_t x = rng.next();
    if (x < limit) return static_cast<uint32_t>(x % n);
  }
}

TEST(Xoshiro, BelowKeepsThePlainRejectionRule) {
  const uint64_t bounds[] = {
      1, 2, 3, 10, 100000, (uint64_t{1} << 31) + 1, uint64_t{3} << 30, (uint64_t{1} << 32) - 1, uint64_t{1} << 32};
  for (const uint64_t n : bounds) {
    kiln::runtime::Xoshiro128 fast{0x9e3779b9u, 7, 0xdeadbeefu, 12345}, plain = fast;
    for (int i = 0; i < 20000; ++i) ASSERT_EQ(fast.below(n), plain_below(plain, n)) << "n = " << n << ", draw " << i;
    EXPECT_EQ(fast.a, plain.a);
    EXPECT_EQ(fast.d, plain.d);
  }
}

}  // namespace
