/**
 * The survival functions the univariate tests need (F and chi-squared), as regularised
 * incomplete beta / gamma tails computed directly, so p-values as small as 1e-300 keep their
 * relative precision (1 − cdf would round them to 0). Kept in this one file so that a shared
 * statistics room can take them over.
 */
import betainc from '@stdlib/math-base-special-betainc';
import gammainc from '@stdlib/math-base-special-gammainc';

/** P(F > f) for an F(d1, d2) variable (scipy.stats.f.sf); NaN stays NaN, +Infinity gives 0. */
export function fSurvival(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f)) return NaN;
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  // sf = I_{d2 / (d2 + d1 f)}(d2 / 2, d1 / 2): the lower tail of the complementary beta, accurate when small
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2, true, false);
}

/** P(X > x) for a chi-squared variable with k degrees of freedom (scipy.stats.chi2.sf). */
export function chi2Survival(x: number, k: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return gammainc(x / 2, k / 2, true, true);
}
