/**
 * The standard normal truncated to [a, b] in log space, as Optuna 3.1's `_truncnorm` computes
 * it (the log CDF by an asymptotic series far in the left tail, masses from the side where they
 * do not cancel), on the normal CDF and quantile of the statistics room.
 */
import { normCdf, normPpf } from '../../../stats/dist.js';

export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log Φ(a), accurate in both tails. */
export function logNdtr(a: number): number {
  if (a > 6) return -normCdf(-a); // log(1 − ε) ≈ −ε
  if (a > -20) return Math.log(normCdf(a));
  // log Φ(a) = −a²/2 − log(−a) − log √(2π) + log(1 − 1/a² + 3/a⁴ − …)
  const lhs = -0.5 * a * a - Math.log(-a) - LOG_SQRT_2PI;
  let last = 0,
    rhs = 1,
    numerator = 1,
    denom = 1,
    sign = 1;
  const c = 1 / (a * a);
  for (let i = 1; Math.abs(last - rhs) > Number.EPSILON && i < 200; i++) {
    last = rhs;
    sign = -sign;
    denom *= c;
    numerator *= 2 * i - 1;
    rhs += sign * numerator * denom;
  }
  return lhs + Math.log(rhs);
}

/** log(e^p − e^q) for p ≥ q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** log(Φ(b) − Φ(a)), a ≤ b. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-normCdf(a) - normCdf(-b));
}

/** x with log Φ(x) = y. */
function ndtriExp(y: number): number {
  if (y > Math.log(0.5)) return -normPpf(-Math.expm1(y));
  if (y > -36) return normPpf(Math.exp(y));
  // Deep in the left tail the quantile function loses its digits: bisect log Φ, as Optuna does.
  let lo = -100,
    hi = 100,
    m = 0;
  for (let i = 0; i < 100; i++) {
    m = (lo + hi) / 2;
    if (logNdtr(m) < y) lo = m;
    else hi = m;
  }
  return m;
}

/** The q-quantile of the standard normal truncated to [a, b]. */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (a === b) return Number.NaN;
  if (q === 0) return a;
  if (q === 1) return b;
  const mass = logGaussMass(a, b);
  if (a < 0) {
    const lp = logNdtr(a);
    const lq = Math.log(q) + mass;
    return ndtriExp(Math.max(lp, lq) + Math.log1p(Math.exp(-Math.abs(lp - lq))));
  }
  const lp = logNdtr(-b);
  const lq = Math.log1p(-q) + mass;
  return -ndtriExp(Math.max(lp, lq) + Math.log1p(Math.exp(-Math.abs(lp - lq))));
}

/**
 * log density at x of N(loc, scale²) truncated to [loc + a·scale, loc + b·scale]. Includes the
 * −log(scale) term (Optuna 3.1.0's port of this function drops it, which favours wide kernels;
 * later Optuna releases restore it).
 */
export function truncnormLogPdf(x: number, a: number, b: number, loc: number, scale: number): number {
  const z = (x - loc) / scale;
  if (a === b) return Number.NaN;
  if (z < a || z > b) return -Infinity;
  return -0.5 * z * z - LOG_SQRT_2PI - logGaussMass(a, b) - Math.log(scale);
}
