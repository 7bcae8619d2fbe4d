// exp and log1p for the boosting losses as plain inline arithmetic that GCC vectorises inside
// `#pragma omp simd` loops on any target (SSE2, AVX2, AVX-512): no libmvec call, no table
// lookups. exp_nonpositive and log1p_unit cover the narrow ranges of the logistic loss, exp_full
// the whole line. All stay within 1.4 ulp of the true value (native/tests/fast_math_test.cc
// sweeps them). Compile callers with -fno-associative-math (-ffast-math otherwise is fine):
// reassociation undoes the rounding shifter, the Cody-Waite split and the ln2 halves (exp then
// errs by up to ~200 ulp near -708).
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

// ln 2 in two parts: the high part's low 21 bits are 0, so nd * kLn2Hi is exact for the |nd| here.
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;

// exp(x - nd ln2) for |x - nd ln2| <= ln2 / 2 (nd an integer): Cody-Waite reduction, then a
// degree-11 near-minimax polynomial (error 3e-18): c2 + c3 r + ... + c11 r^9 in Estrin's scheme
// (shorter dependency chains than Horner's), then Horner's two leading steps, which carry the
// precision.
inline double exp_reduced(double x, double nd) {
  const double r = (x - nd * kLn2Hi) - nd * kLn2Lo;
  const double r2 = r * r, r4 = r2 * r2;
  const double e0 = 0.5000000000000019 + r * 0.1666666666666668, e1 = 0.04166666666648795 + r * 0.008333333333319589,
               e2 = 0.0013888888952352863 + r * 0.00019841269890076403,
               e3 = 2.4801485441561313e-05 + r * 2.755724088722987e-06,
               e4 = 2.763265472252779e-07 + r * 2.5110049204818658e-08;
  const double tail = (e0 + r2 * e1) + r4 * ((e2 + r2 * e3) + r4 * e4);
  return 1.0 + r * (1.0 + r * tail);
}

constexpr double kLog2e = 1.4426950408889634;

}  // namespace detail

// exp(x) for x <= 0 (callers guarantee the sign; x > 0 is outside the domain), the logistic
// loss's exp(-|z|). n = round(x / ln2) comes from the shifter trick (adding 1.5 * 2^52 rounds to
// an integer that stays in the low mantissa bits), which -fassociative-math would fold away. 2^n
// is applied as 2^(n + 60) from those bits, then 2^-60, so a subnormal result rounds once. x below
// -746 is clamped there, which rounds to +0 as exp does; -0 gives 1, -inf 0, NaN NaN.
inline double exp_nonpositive(double x) {
  constexpr double kShifter = 0x1.8p52 + 1083;  // its low bits then hold n + 60 + 1023, a normal exponent
  const double xc = x < -746.0 ? -746.0 : x;
  const double kd = xc * detail::kLog2e + kShifter;
  const double p = detail::exp_reduced(xc, kd - kShifter);
  return p * detail::from_bits(detail::to_bits(kd) << 52) * 0x1p-60;
}

// exp(x) for any x, as exp_nonpositive but with 2^n applied in two halves (each a normal power of
// two for n in [-1076, 1024]): x is clamped to [-746, 710], which rounds to +0 and +inf as exp
// does. NaN is tested on the bits and passed through (-ffinite-math-only would fold a float test
// away; a NaN with its payload all in the low word is not caught). For the losses with a log link (Poisson, Gamma, Tweedie).
inline double exp_full(double x) {
  constexpr double kShifter = 0x1.8p52 + 1076;  // its low bits then hold m = n + 1076, in [0, 2100]
  const double xc = x < -746.0 ? -746.0 : (x > 710.0 ? 710.0 : x);
  const double kd = xc * detail::kLog2e + kShifter;
  const double p = detail::exp_reduced(xc, kd - kShifter);
  const std::uint64_t m = detail::to_bits(kd) & 0xfff, m1 = m >> 1;
  // 2^(m1 - 538) and 2^(m - m1 - 538): biased exponents m1 + 485 and m - m1 + 485, in [485, 1536].
  const double e = p * detail::from_bits((m1 + 485) << 52) * detail::from_bits((m - m1 + 485) << 52);
  // The high word's magnitude, above 0x7ff00000 for every NaN that arithmetic makes (32-bit
  // lanes: SSE2 compares those, 64-bit ones only from SSE4.2 on).
  const auto high = static_cast<std::int32_t>((detail::to_bits(x) >> 32) & 0x7fffffff);
  return high > 0x7ff00000 ? x : e;
}

// log(1 + f) for f in [0, 1] (so log on [1, 2] with f = x - 1, which is exact there): fdlibm's
// kernel (s = f / (2 + f), a degree-7 polynomial in s^2, error < 2^-58.45) after halving 1 + f
// above sqrt(2). Taking f rather than 1 + f keeps the relative accuracy of log1p for tiny f.
inline double log1p_unit(double f) {
  using detail::kLn2Hi;
  using detail::kLn2Lo;
  constexpr double kSqrt2Minus1 = 0.41421356237309503, Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
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
