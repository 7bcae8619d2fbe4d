/**
 * Tests on contingency tables, as scipy.stats: powerDivergence (the Cressie–Read family),
 * chi2Contingency (with Yates' correction on 1-dof tables), fisherExact (2×2), and expectedFreq.
 */
import { ParamError, ShapeError } from '../core/errors.js';
import binomcoefln from '@stdlib/math-base-special-binomcoefln';
import { chi2Sf } from './dist.js';
import { type Alternative, alternativeOf } from './sample.js';

/** A contingency table of counts (rows × columns), as nested arrays. */
export type Table2D = readonly (readonly number[])[];

/** The Cressie–Read λ by name (scipy's power_divergence `lambda_`) or as a number. */
export type PowerLambda = 'pearson' | 'log-likelihood' | 'freeman-tukey' | 'mod-log-likelihood' | 'neyman' | 'cressie-read' | number;

const LAMBDAS: Record<string, number> = {
  pearson: 1,
  'log-likelihood': 0,
  'freeman-tukey': -0.5,
  'mod-log-likelihood': -1,
  neyman: -2,
  'cressie-read': 2 / 3,
};

function lambdaOf(fn: string, l: PowerLambda | undefined): number {
  if (l === undefined) return 1;
  if (typeof l === 'number' && Number.isFinite(l)) return l;
  if (typeof l === 'string' && l in LAMBDAS) return LAMBDAS[l];
  throw new ParamError(
    `${fn}: lambda must be a finite number or one of ${Object.keys(LAMBDAS)
      .map((k) => `'${k}'`)
      .join(', ')}, got ${JSON.stringify(l)}`,
  );
}

/** x·log(x/y) with 0·log(0) = 0 (scipy's xlogy). */
const xlogy = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(y));

/** One term of the power-divergence statistic for observed o and expected e. */
function divergenceTerm(o: number, e: number, lambda: number): number {
  if (lambda === 1) return ((o - e) * (o - e)) / e;
  if (lambda === 0) return 2 * xlogy(o, o / e);
  if (lambda === -1) return 2 * xlogy(e, e / o);
  return (o * ((o / e) ** lambda - 1)) / (0.5 * lambda * (lambda + 1));
}

/** Checks a table: rectangular, non-empty, finite counts ≥ 0. Returns it as rows of numbers. */
export function readTable(observed: Table2D, fn: string, arg = 'observed'): number[][] {
  if (!Array.isArray(observed) || observed.length === 0 || !Array.isArray(observed[0]) || observed[0].length === 0)
    throw new ShapeError(`${fn}: ${arg} must be a non-empty table (an array of rows of counts)`);
  const cols = observed[0].length;
  return observed.map((row, r) => {
    if (!Array.isArray(row) || row.length !== cols)
      throw new ShapeError(`${fn}: ${arg} row ${r} has ${row?.length} cells, row 0 has ${cols}; a table is rectangular`);
    return row.map((v, c) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ParamError(`${fn}: ${arg}[${r}][${c}] must be a finite count >= 0, got ${v}`);
      return v;
    });
  });
}

/** scipy.stats.contingency.expected_freq of a 2-D table: row sum × column sum / total. */
export function expectedFreq(observed: Table2D): number[][] {
  const t = readTable(observed, 'expectedFreq');
  const rows = t.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = t[0].map((_, c) => t.reduce((a, r) => a + r[c], 0));
  const total = rows.reduce((a, b) => a + b, 0);
  return rows.map((rs) => cols.map((cs) => (rs * cs) / total));
}

export interface PowerDivergenceOptions {
  /** Expected frequencies; default: all equal to the mean of `observed`. */
  expected?: ArrayLike<number>;
  /** Degrees of freedom removed from k − 1 (for fitted parameters). Default: 0. */
  ddof?: number;
  /** The Cressie–Read λ. Default: 'pearson'. */
  lambda?: PowerLambda;
}

/** scipy.stats.power_divergence of one set of counts: the statistic and its chi-square(k − 1 − ddof) p-value. */
export function powerDivergence(observed: ArrayLike<number>, options: PowerDivergenceOptions = {}): { statistic: number; pvalue: number } {
  const fn = 'powerDivergence';
  const lambda = lambdaOf(fn, options.lambda);
  const o = Array.from(observed);
  if (o.length === 0) throw new ShapeError(`${fn}: observed is empty`);
  const mean = o.reduce((a, b) => a + b, 0) / o.length;
  const e = options.expected ? Array.from(options.expected) : o.map(() => mean);
  if (e.length !== o.length) throw new ShapeError(`${fn}: expected has ${e.length} values, observed ${o.length}`);
  let stat = 0;
  for (let i = 0; i < o.length; i++) stat += divergenceTerm(o[i], e[i], lambda);
  return { statistic: stat, pvalue: chi2Sf(stat, o.length - 1 - (options.ddof ?? 0)) };
}

export interface Chi2ContingencyOptions {
  /** Yates' continuity correction when the table has 1 degree of freedom (each |O − E| shrinks by up to 0.5). Default: true. */
  correction?: boolean;
  /** The Cressie–Read λ of the statistic (scipy's `lambda_`). Default: 'pearson'. */
  lambda?: PowerLambda;
}

export interface Chi2ContingencyResult {
  statistic: number;
  pvalue: number;
  /** (rows − 1)(columns − 1). */
  dof: number;
  /** Expected counts under independence. */
  expectedFreq: number[][];
}

/**
 * scipy.stats.chi2_contingency: the test of independence of a table's rows and columns. A zero
 * expected count (an empty row or column) is refused, as scipy; a table with 0 dof gives
 * statistic 0 and p-value 1.
 */
export function chi2Contingency(observed: Table2D, options: Chi2ContingencyOptions = {}): Chi2ContingencyResult {
  const fn = 'chi2Contingency';
  const t = readTable(observed, fn);
  const lambda = lambdaOf(fn, options.lambda);
  const e = expectedFreq(t);
  e.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v === 0) throw new ParamError(`${fn}: the expected count at [${r}][${c}] is 0 (an empty row or column); drop empty rows and columns first`);
    }),
  );
  const dof = (t.length - 1) * (t[0].length - 1);
  if (dof === 0) return { statistic: 0, pvalue: 1, dof, expectedFreq: e };
  const yates = dof === 1 && (options.correction ?? true);
  let stat = 0;
  for (let r = 0; r < t.length; r++)
    for (let c = 0; c < t[0].length; c++) {
      let o = t[r][c];
      if (yates) {
        const d = e[r][c] - o;
        o += Math.sign(d) * Math.min(0.5, Math.abs(d));
      }
      stat += divergenceTerm(o, e[r][c], lambda);
    }
  return { statistic: stat, pvalue: chi2Sf(stat, dof), dof, expectedFreq: e };
}

export interface FisherExactResult {
  /** The sample odds ratio a·d / (b·c) (Infinity when b·c = 0; NaN for an empty row or column). */
  statistic: number;
  pvalue: number;
}

/**
 * scipy.stats.fisher_exact for a 2×2 table of counts. Two-sided: the total probability of the
 * tables (same margins) no more likely than the observed one, with scipy's relative tolerance
 * 1e-14 for ties in probability.
 */
export function fisherExact(table: Table2D, options: { alternative?: Alternative } = {}): FisherExactResult {
  const fn = 'fisherExact';
  const alt = alternativeOf(fn, options);
  const t = readTable(table, fn, 'table');
  if (t.length !== 2 || t[0].length !== 2) throw new ShapeError(`${fn}: table must be 2×2, got ${t.length}×${t[0].length}`);
  if (t.flat().some((v) => !Number.isInteger(v))) throw new ParamError(`${fn}: table must hold integer counts`);
  const [[a, b], [c, d]] = t;
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) return { statistic: NaN, pvalue: 1 };
  const odds = c > 0 && b > 0 ? (a * d) / (c * b) : Infinity;
  const n1 = a + b,
    n2 = c + d,
    n = a + c,
    N = n1 + n2;
  const lo = Math.max(0, n - n2),
    hi = Math.min(n, n1);
  const logDenom = binomcoefln(N, n);
  // hypergeometric pmf of the top-left cell x given the margins
  const pmf = (x: number) => Math.exp(binomcoefln(n1, x) + binomcoefln(n2, n - x) - logDenom);
  let p = 0;
  if (alt === 'less') for (let x = lo; x <= a; x++) p += pmf(x);
  else if (alt === 'greater') for (let x = a; x <= hi; x++) p += pmf(x);
  else {
    const pexact = pmf(a);
    const mode = Math.floor(((n + 1) * (n1 + 1)) / (N + 2));
    const pmode = pmf(mode);
    if (Math.abs(pexact - pmode) / Math.max(pexact, pmode) <= 1e-14) return { statistic: odds, pvalue: 1 };
    const bound = pexact * (1 + 1e-14);
    for (let x = lo; x <= hi; x++) {
      const px = pmf(x);
      if (px <= bound) p += px;
    }
  }
  return { statistic: odds, pvalue: Math.min(1, p) };
}
