/**
 * t-tests, as scipy.stats: ttestInd (Student or Welch), ttestRel (paired), ttest1samp. Results
 * carry `df` as scipy's TtestResult. A zero variance gives t = ±Infinity or NaN (0/0) as scipy;
 * too few values for the variance is E_SAMPLE_SIZE.
 */
import { tPvalue } from './dist.js';
import { alternativeOf, nanPolicyOf, readPaired, readSample, requireSize, type Sample, type TestOptions } from './sample.js';

export interface TtestResult {
  statistic: number;
  pvalue: number;
  /** Degrees of freedom of the t distribution (Welch–Satterthwaite's for equalVar false). */
  df: number;
}

const NAN_RESULT = (df = NaN): TtestResult => ({ statistic: NaN, pvalue: NaN, df });

/** Mean and unbiased variance (ddof 1). */
function meanVar(v: Float64Array): [number, number] {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  for (const x of v) s += (x - m) * (x - m);
  return [m, s / (v.length - 1)];
}

export interface TtestIndOptions extends TestOptions {
  /** true: Student's test with a pooled variance; false: Welch's test. Default: true. */
  equalVar?: boolean;
}

/** scipy.stats.ttest_ind: the test that two independent samples have equal means. */
export function ttestInd(a: Sample, b: Sample, options: TtestIndOptions = {}): TtestResult {
  const fn = 'ttestInd';
  const alt = alternativeOf(fn, options);
  const policy = nanPolicyOf(fn, options);
  const x = readSample(a, fn, 'a', policy),
    y = readSample(b, fn, 'b', policy);
  if (x.nan || y.nan) return NAN_RESULT();
  const n1 = x.values.length,
    n2 = y.values.length;
  const equalVar = options.equalVar ?? true;
  requireSize(n1, equalVar ? 1 : 2, fn, 'a');
  requireSize(n2, equalVar ? 1 : 2, fn, 'b');
  if (equalVar) requireSize(n1 + n2, 3, fn, 'a and b', 'n1 + n2 − 2 degrees of freedom must be positive');
  const [m1, v1] = n1 > 1 ? meanVar(x.values) : [x.values[0], 0];
  const [m2, v2] = n2 > 1 ? meanVar(y.values) : [y.values[0], 0];
  let df: number, denom: number;
  if (equalVar) {
    df = n1 + n2 - 2;
    const pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
    denom = Math.sqrt(pooled * (1 / n1 + 1 / n2));
  } else {
    const a1 = v1 / n1,
      a2 = v2 / n2;
    df = (a1 + a2) ** 2 / ((a1 * a1) / (n1 - 1) + (a2 * a2) / (n2 - 1));
    denom = Math.sqrt(a1 + a2);
  }
  const t = (m1 - m2) / denom;
  return { statistic: t, pvalue: tPvalue(t, df, alt), df };
}

export interface Ttest1sampOptions extends TestOptions {
  /** The mean under the null hypothesis. Default: 0. */
  popmean?: number;
}

function oneSample(v: Float64Array, popmean: number, alt: ReturnType<typeof alternativeOf>): TtestResult {
  const n = v.length;
  const [m, s2] = meanVar(v);
  const t = (m - popmean) / Math.sqrt(s2 / n);
  return { statistic: t, pvalue: tPvalue(t, n - 1, alt), df: n - 1 };
}

/** scipy.stats.ttest_1samp: the test that a sample's mean equals `popmean`. */
export function ttest1samp(a: Sample, options: Ttest1sampOptions = {}): TtestResult {
  const fn = 'ttest1samp';
  const alt = alternativeOf(fn, options);
  const x = readSample(a, fn, 'a', nanPolicyOf(fn, options));
  if (x.nan) return NAN_RESULT();
  requireSize(x.values.length, 2, fn, 'a');
  return oneSample(x.values, options.popmean ?? 0, alt);
}

/** scipy.stats.ttest_rel: the paired test that the mean of a − b is 0 ('omit' drops incomplete pairs). */
export function ttestRel(a: Sample, b: Sample, options: TestOptions = {}): TtestResult {
  const fn = 'ttestRel';
  const alt = alternativeOf(fn, options);
  const p = readPaired(a, b, fn, ['a', 'b'], nanPolicyOf(fn, options));
  if (p.nan) return NAN_RESULT();
  requireSize(p.x.length, 2, fn, 'a');
  return oneSample(
    Float64Array.from(p.x, (v, i) => v - p.y[i]),
    0,
    alt,
  );
}
