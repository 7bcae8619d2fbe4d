/**
 * Correlation coefficients with their tests, as scipy.stats: pearsonr, spearmanr, pointbiserialr.
 * Kendall's tau is in kendall.ts. A constant input gives NaN statistic and p-value (scipy warns
 * and returns NaN); fewer than 2 pairs is E_SAMPLE_SIZE.
 */
import { blockEnd, PASS_BLOCK } from '../core/passes.js';
import { ParamError } from '../core/errors.js';
import { betaInc, tPvalue } from './dist.js';
import { rankdata } from './rank.js';
import { type Alternative, alternativeOf, isConstant, nanPolicyOf, readPaired, requireSize, type Sample, type TestOptions } from './sample.js';

/** A statistic with its p-value (scipy's result fields). */
export interface TestResult {
  statistic: number;
  pvalue: number;
}

/** Pearson's r of two equal-length f64 arrays (no NaN): centred, normalised, dotted, clipped to [−1, 1]. */
export function pearsonCoefficient(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const st = new Float64Array(3);
  for (let lo = 0; lo < n; lo += PASS_BLOCK) pairSumsBlock(x, y, lo, blockEnd(lo, n), st);
  const mx = st[0] / n,
    my = st[1] / n;
  st.fill(0);
  for (let lo = 0; lo < n; lo += PASS_BLOCK) pairDeviationsBlock(x, y, lo, blockEnd(lo, n), mx, my, st);
  const [sxy, sxx, syy] = st;
  const r = sxy / Math.sqrt(sxx) / Math.sqrt(syy);
  return Math.max(-1, Math.min(1, r));
}

function pairSumsBlock(x: Float64Array, y: Float64Array, lo: number, hi: number, st: Float64Array): void {
  let mx = st[0],
    my = st[1];
  for (let i = lo; i < hi; i++) {
    mx += x[i];
    my += y[i];
  }
  st[0] = mx;
  st[1] = my;
}

function pairDeviationsBlock(x: Float64Array, y: Float64Array, lo: number, hi: number, mx: number, my: number, st: Float64Array): void {
  let sxy = st[0],
    sxx = st[1],
    syy = st[2];
  for (let i = lo; i < hi; i++) {
    const dx = x[i] - mx,
      dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  st[0] = sxy;
  st[1] = sxx;
  st[2] = syy;
}

/**
 * p-value of Pearson's r under independence of normal samples: r is Beta(n/2 − 1, n/2 − 1) on
 * [−1, 1] (scipy ≥ 1.9), so each tail is an incomplete beta at (1 ∓ r)/2, computed directly.
 */
export function pearsonPvalue(r: number, n: number, alternative: Alternative): number {
  if (Number.isNaN(r)) return NaN;
  if (n === 2) return 1; // two points always lie on a line (scipy returns 1)
  const a = n / 2 - 1;
  const less = () => betaInc((1 + r) / 2, a, a);
  const greater = () => betaInc((1 - r) / 2, a, a);
  if (alternative === 'less') return less();
  if (alternative === 'greater') return greater();
  return Math.min(1, 2 * betaInc((1 - Math.abs(r)) / 2, a, a));
}

/** scipy.stats.pearsonr: Pearson's correlation coefficient and the p-value of the test of zero correlation. */
export function pearsonr(x: Sample, y: Sample, options: TestOptions = {}): TestResult {
  const fn = 'pearsonr';
  const alt = alternativeOf(fn, options);
  const p = readPaired(x, y, fn, ['x', 'y'], nanPolicyOf(fn, options));
  if (p.nan) return { statistic: NaN, pvalue: NaN };
  requireSize(p.x.length, 2, fn, 'x', 'a correlation needs two pairs');
  if (isConstant(p.x) || isConstant(p.y)) return { statistic: NaN, pvalue: NaN };
  const r = pearsonCoefficient(p.x, p.y);
  return { statistic: r, pvalue: pearsonPvalue(r, p.x.length, alt) };
}

/** The t test of a rank correlation (scipy's spearmanr p-value): t = r·√((n − 2)/((1 + r)(1 − r))), n − 2 df. */
export function spearmanPvalue(r: number, n: number, alternative: Alternative): number {
  if (Number.isNaN(r)) return NaN;
  const dof = n - 2;
  const t = r * Math.sqrt(Math.max(0, dof / ((r + 1) * (1 - r))));
  return tPvalue(Number.isNaN(t) ? (r > 0 ? Infinity : -Infinity) : t, dof, alternative);
}

/** scipy.stats.spearmanr for two samples: Pearson's r of the average ranks, with the t-distribution p-value. */
export function spearmanr(x: Sample, y: Sample, options: TestOptions = {}): TestResult {
  const fn = 'spearmanr';
  const alt = alternativeOf(fn, options);
  const p = readPaired(x, y, fn, ['x', 'y'], nanPolicyOf(fn, options));
  if (p.nan) return { statistic: NaN, pvalue: NaN };
  requireSize(p.x.length, 2, fn, 'x', 'a correlation needs two pairs');
  if (isConstant(p.x) || isConstant(p.y)) return { statistic: NaN, pvalue: NaN };
  const r = pearsonCoefficient(rankdata(p.x), rankdata(p.y));
  return { statistic: r, pvalue: spearmanPvalue(r, p.x.length, alt) };
}

/**
 * scipy.stats.pointbiserialr: Pearson's r between a binary variable `x` (two distinct values, or
 * booleans) and a continuous `y`, with pearsonr's p-value.
 */
export function pointbiserialr(x: ArrayLike<number | boolean | null>, y: Sample, options: TestOptions = {}): TestResult {
  const fn = 'pointbiserialr';
  const xs = Array.from(x as ArrayLike<unknown>, (v) => (typeof v === 'boolean' ? Number(v) : v)) as (number | null)[];
  const distinct = new Set(xs.filter((v) => v !== null && !Number.isNaN(v)));
  if (distinct.size > 2) throw new ParamError(`${fn}: x must be binary (two distinct values), got ${distinct.size} distinct values`);
  return pearsonr(xs, y, { ...options, alternative: alternativeOf(fn, options) });
}
