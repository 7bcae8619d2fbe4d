// The doubles as unsigned keys in their sort order, shared by the radix sort and the
// few-distinct-values path.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace kiln::order {

constexpr std::uint64_t kSign = std::uint64_t{1} << 63;

// An unsigned key in the doubles' order: negatives flipped whole, positives with the sign bit set;
// every NaN maps to the largest key, after +Infinity.
inline std::uint64_t key_of(double d) {
  if (std::isnan(d)) return ~std::uint64_t{0};
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return (u & kSign) ? ~u : (u | kSign);
}

// The inverse of key_of (the NaN key decodes to the quiet NaN 0x7FFFFFFFFFFFFFFF).
inline double value_of(std::uint64_t k) {
  const std::uint64_t u = (k & kSign) ? (k & ~kSign) : ~k;
  double d;
  std::memcpy(&d, &u, sizeof d);
  return d;
}

}  // namespace kiln::order
