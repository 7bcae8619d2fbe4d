// exp and log1p on the narrow ranges the boosting losses need, as plain inline arithmetic that
// GCC vectorises inside `#pragma omp simd` loops on any target (SSE2, AVX2, AVX-512): no
// libmvec call, no table lookups. Both stay within 1.4 ulp of the true value on their domain
// (native/tests/fast_math_test.cc sweeps them). Compile callers with -fno-associative-math
// (-ffast-math otherwise is fine): reassociation undoes the rounding shifter, the Cody-Waite
// split and the ln2 halves (exp then errs by up to ~200 ulp near -708).
#pragma once

#include <cstdint>
#include <cstring>

namespace kiln::runtime {

namespace detail {

inline std::uint64_t to_bits(double d) {
  std::uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

inline double from_bits(std::uint64_t b) {
  double d;
  std::memcpy(&d, &b, sizeof d);
  return d;
}

}  // namespace detail

// exp(x) for x <= 0 (callers guarantee the sign; x > 0 is outside the domain). Cody-Waite
// reduction x = n ln2 + r, |r| <= ln2 / 2, and a degree-11 near-minimax polynomial for exp(r)
// (error 3e-18). n comes from the shifter trick (adding 1.5 * 2^52 rounds to an integer that
// stays in the low mantissa bits), which -fassociative-math would fold away. 2^n is applied as
// 2^(n + 60) from those bits, then 2^-60, so a subnormal result rounds once. x below -746 is
// clamped there, which rounds to +0 as exp does; -0 gives 1, -inf 0, NaN NaN.
inline double exp_nonpositive(double x) {
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // low 21 bits 0: n * kLn2Hi is exact
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kShifter = 0x1.8p52 + 1083;  // its low bits then hold n + 60 + 1023, a normal exponent
  constexpr double kTwoM60 = 0x1p-60;
  const double xc = x < -746.0 ? -746.0 : x;
  const double kd = xc * kLog2e + kShifter;
  const double nd = kd - kShifter;  // round(x / ln2)
  const double r = (xc - nd * kLn2Hi) - nd * kLn2Lo;
  // c2 + c3 r + ... + c11 r^9 in Estrin's scheme (shorter dependency chains than Horner's), then
  // Horner's two leading steps, which carry the precision.
  const double r2 = r * r, r4 = r2 * r2;
  const double e0 = 0.5000000000000019 + r * 0.1666666666666668, e1 = 0.04166666666648795 + r * 0.008333333333319589,
               e2 = 0.0013888888952352863 + r * 0.00019841269890076403,
               e3 = 2.4801485441561313e-05 + r * 2.755724088722987e-06,
               e4 = 2.763265472252779e-07 + r * 2.5110049204818658e-08;
  const double tail = (e0 + r2 * e1) + r4 * ((e2 + r2 * e3) + r4 * e4);
  const double p = 1.0 + r * (1.0 + r * tail);
  return p * detail::from_bits(detail::to_bits(kd) << 52) * kTwoM60;
}

// log(1 + f) for f in [0, 1] (so log on [1, 2] with f = x - 1, which is exact there): fdlibm's
// kernel (s = f / (2 + f), a degree-7 polynomial in s^2, error < 2^-58.45) after halving 1 + f
// above sqrt(2). Taking f rather than 1 + f keeps the relative accuracy of log1p for tiny f.
inline double log1p_unit(double f) {
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10,
                   kSqrt2Minus1 = 0.41421356237309503, Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                   Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01,
                   Lg6 = 1.531383769920937332e-01, Lg7 = 1.479819860511658591e-01;
  const bool halve = f > kSqrt2Minus1;
  const double g = halve ? 0.5 * (f - 1.0) : f;  // 1 + g = (1 + f) / 2^k, in [sqrt(1/2), sqrt(2)]
  const double k = halve ? 1.0 : 0.0;
  const double s = g / (2.0 + g), z = s * s, w = z * z;
  const double t1 = w * (Lg2 + w * (Lg4 + w * Lg6)), t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const double hfsq = 0.5 * g * g;
  return k * kLn2Hi - ((hfsq - (s * (hfsq + t1 + t2) + k * kLn2Lo)) - g);
}

}  // namespace kiln::runtime
