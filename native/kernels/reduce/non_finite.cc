#include "non_finite.h"

#include <cstring>

#include "../../runtime/simd_clones.h"

namespace kiln::reduce {

namespace {

constexpr std::size_t kBlock = 1024;

// Exponent bits all set <=> NaN or infinity; tested on the bits so no
// floating-point assumption can fold the test away.
template <typename Bits, Bits kExp>
KILN_CLONES bool block_has_non_finite(const Bits* bits, std::size_t n) {
  Bits any = 0;
#pragma omp simd reduction(| : any)
  for (std::size_t i = 0; i < n; ++i) any |= ((bits[i] & kExp) == kExp) ? Bits(1) : Bits(0);
  return any != 0;
}

template <typename T, typename Bits, Bits kExp>
std::int64_t scan(const T* x, std::size_t n) {
  const Bits* bits = reinterpret_cast<const Bits*>(x);
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t len = n - start < kBlock ? n - start : kBlock;
    if (!block_has_non_finite<Bits, kExp>(bits + start, len)) continue;
    for (std::size_t i = start; i < start + len; ++i)
      if ((bits[i] & kExp) == kExp) return static_cast<std::int64_t>(i);
  }
  return -1;
}

}  // namespace

std::int64_t first_non_finite(const float* x, std::size_t n) { return scan<float, std::uint32_t, 0x7f800000u>(x, n); }

std::int64_t first_non_finite(const double* x, std::size_t n) {
  return scan<double, std::uint64_t, 0x7ff0000000000000ull>(x, n);
}

}  // namespace kiln::reduce
