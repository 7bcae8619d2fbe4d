// The class-code check of the classification losses' targets, made on every gradients call.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "../../runtime/simd_clones.h"
#include "hist.h"

namespace kiln::hist {

namespace {

// Rows of binary y that are none of +0, -0 and 1, compared as bit patterns (integer compares:
// a loop the compiler vectorises, and NaNs count as bad whatever the float flags).
KILN_CLONES std::size_t count_not_binary(const double* y, std::size_t n) {
  constexpr uint64_t kOne = 0x3FF0000000000000ull;
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    uint64_t b;
    std::memcpy(&b, y + i, sizeof b);
    bad += static_cast<std::size_t>((b << 1) != 0) & static_cast<std::size_t>(b != kOne);
  }
  return bad;
}

}  // namespace

std::size_t first_bad_class_code(const double* y, std::size_t n, double classes) {
  if (classes == 2 && count_not_binary(y, n) == 0) return n;
  for (std::size_t i = 0; i < n; ++i)
    if (!(y[i] >= 0 && y[i] < classes && y[i] == std::floor(y[i]))) return i;
  return n;
}

}  // namespace kiln::hist
