/**
 * McNemar's test of two classifiers on the same test rows (statsmodels' mcnemar): only the rows
 * where exactly one of them is right count. Exact: a two-sided binomial test of the smaller
 * discordant count; otherwise chi² with one degree of freedom, with the continuity correction by
 * default.
 */
import { ParamError } from '../../core/errors.js';
import { betaInc, chi2Sf } from '../../stats/dist.js';

export interface McNemarOptions {
  /** The exact binomial test (statsmodels' default). Default: true. */
  exact?: boolean;
  /** Continuity correction of the chi² statistic (exact: false only). Default: true. */
  correction?: boolean;
}

export interface McNemarResult {
  /** Exact: the smaller discordant count; else the chi² statistic. */
  statistic: number;
  pvalue: number;
}

/** P(X <= k) for X ~ Binomial(n, p). */
function binomCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return betaInc(1 - p, n - k, k + 1);
}

/**
 * The 2×2 table of two models' correctness: rows A right / A wrong, columns B right / B wrong
 * (so [0][1] counts rows only A got right, [1][0] rows only B got right).
 */
export function mcnemarTable(yTrue: ArrayLike<unknown>, predA: ArrayLike<unknown>, predB: ArrayLike<unknown>): number[][] {
  const n = yTrue?.length;
  if (typeof n !== 'number' || predA?.length !== n || predB?.length !== n)
    throw new ParamError('mcnemarTable: yTrue, predA and predB must be arrays of the same length');
  const t = [
    [0, 0],
    [0, 0],
  ];
  for (let i = 0; i < n; i++) t[predA[i] === yTrue[i] ? 0 : 1][predB[i] === yTrue[i] ? 0 : 1]++;
  return t;
}

/** McNemar's test on a 2×2 table of counts (e.g. from mcnemarTable); only the off-diagonal cells matter. */
export function mcnemar(table: ArrayLike<ArrayLike<number>>, opts: McNemarOptions = {}): McNemarResult {
  const ok = table?.length === 2 && Array.from(table).every((r) => r?.length === 2 && Array.from(r).every((v) => Number.isFinite(v) && v >= 0));
  if (!ok) throw new ParamError('mcnemar: table must be a 2×2 array of counts >= 0, e.g. mcnemarTable(yTrue, predA, predB)');
  const { exact = true, correction = true } = opts;
  const n1 = table[0][1];
  const n2 = table[1][0];
  if (exact) {
    const statistic = Math.min(n1, n2);
    return { statistic, pvalue: Math.min(1, 2 * binomCdf(statistic, n1 + n2, 0.5)) };
  }
  const statistic = (Math.abs(n1 - n2) - (correction ? 1 : 0)) ** 2 / (n1 + n2);
  return { statistic, pvalue: chi2Sf(statistic, 1) };
}
