/**
 * Correlation matrices over the numeric columns of a Frame or a matrix (pandas' DataFrame.corr):
 * Pearson, Spearman (average ranks) or Kendall (tau-b), pairwise-complete — each pair of columns
 * uses the rows where both are present, and needs `minPeriods` of them (else NaN). A constant
 * column (over the rows a pair uses) gives NaN, as pandas.
 *
 * Without missing values, Pearson and Spearman matrices are one product Zᵀ·Z of the centred,
 * unit-norm columns; `corr` runs it through kiln's GEMM (f32, native or GPU) when the work is
 * large (rows·cols² ≥ gemmThreshold), which is accurate to about 1e-6 — pass `gemm: false` (or use
 * corrSync) for f64 throughout.
 */
import { blockEnd, hasNaN, PASS_BLOCK } from '../core/passes.js';
import { ParamError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { readMatrix } from '../core/read-matrix.js';
import { Frame } from '../data/frame.js';
import { matmul } from '../ops/matmul.js';
import type { BackendChoice } from '../backend/backend.js';
import { pearsonCoefficient } from './correlation.js';
import { kendalltau } from './kendall.js';
import { rankdata } from './rank.js';
import { meanOf } from './groups.js';
import { isConstant, oneOfOption } from './sample.js';

export type CorrMethod = 'pearson' | 'spearman' | 'kendall';

export interface CorrOptions {
  /** The coefficient. Default: 'pearson'. */
  method?: CorrMethod;
  /** Fewest complete pairs a coefficient needs; fewer gives NaN (pandas' min_periods). Default: 1. */
  minPeriods?: number;
  /** Column names for a matrix input (a Frame brings its own). Default: 'x0', 'x1', …. */
  columns?: string[];
  /** true: always the f32 GEMM; false: always f64; 'auto': the GEMM above gemmThreshold. Default: 'auto'. */
  gemm?: boolean | 'auto';
  /** rows·cols² from which 'auto' uses the GEMM. Default: 2^27. */
  gemmThreshold?: number;
  /** Backend of the GEMM. Default: the process-wide choice. */
  backend?: BackendChoice;
}

export interface CorrResult {
  /** The columns, in the matrix's order (a Frame's numeric and boolean columns). */
  columns: string[];
  /** cols × cols, symmetric. */
  matrix: Matrix<Float64Array>;
}

/** The numeric (and boolean) columns of a Frame or a matrix, as f64 columns. */
function columnsOf(x: Frame | MatrixLike, fn: string, names?: string[]): { names: string[]; cols: Float64Array[]; rows: number } {
  if (x instanceof Frame) {
    const picked = x.columnNames.filter((n) => {
      const k = x.column(n).kind;
      return k === 'numeric' || k === 'boolean';
    });
    if (picked.length === 0) throw new ParamError(`${fn}: the frame has no numeric columns`);
    return { names: picked, cols: picked.map((n) => (x.column(n) as { values: Float64Array }).values), rows: x.rows };
  }
  const m = readMatrix(x, `${fn}: x`, { nonFinite: 'keep' });
  const out = Array.from({ length: m.cols }, (_, j) => {
    const c = new Float64Array(m.rows);
    for (let r = 0; r < m.rows; r++) c[r] = m.data[r * m.cols + j];
    return c;
  });
  if (names && names.length !== m.cols) throw new ParamError(`${fn}: columns has ${names.length} names for ${m.cols} columns`);
  return { names: names ?? out.map((_, j) => `x${j}`), cols: out, rows: m.rows };
}

function settings(fn: string, o: CorrOptions) {
  const method = oneOfOption(fn, 'method', o.method, ['pearson', 'spearman', 'kendall'] as const, 'pearson');
  const minPeriods = o.minPeriods ?? 1;
  if (!Number.isInteger(minPeriods) || minPeriods < 1) throw new ParamError(`${fn}: minPeriods must be an integer >= 1, got ${minPeriods}`);
  return { method, minPeriods };
}

function crossDeviationsBlock(a: Float64Array, b: Float64Array, lo: number, hi: number, ma: number, mb: number, st: Float64Array): void {
  let s = st[0];
  for (let r = lo; r < hi; r++) s += (a[r] - ma) * (b[r] - mb);
  st[0] = s;
}

/** Σ (a − ma)(b − mb) over the first `rows` rows, in row order. */
function crossDeviations(a: Float64Array, b: Float64Array, rows: number, ma: number, mb: number): number {
  const st = new Float64Array(1);
  for (let lo = 0; lo < rows; lo += PASS_BLOCK) crossDeviationsBlock(a, b, lo, blockEnd(lo, rows), ma, mb, st);
  return st[0];
}

/** One coefficient over the rows where both columns are present. */
function pairCoefficient(a: Float64Array, b: Float64Array, method: CorrMethod, minPeriods: number): number {
  const xs: number[] = [],
    ys: number[] = [];
  for (let i = 0; i < a.length; i++)
    if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) {
      xs.push(a[i]);
      ys.push(b[i]);
    }
  if (xs.length < Math.max(minPeriods, 2) || isConstant(xs) || isConstant(ys)) return NaN;
  const x = Float64Array.from(xs),
    y = Float64Array.from(ys);
  if (method === 'kendall') return kendalltau(x, y).statistic;
  return method === 'spearman' ? pearsonCoefficient(rankdata(x), rankdata(y)) : pearsonCoefficient(x, y);
}

/** Centred unit-norm copy of a column (NaN everywhere for a constant one). */
function standardise(c: Float64Array): Float64Array {
  const n = c.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += c[i];
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (c[i] - m) * (c[i] - m);
  const norm = Math.sqrt(ss);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (c[i] - m) / norm;
  return out;
}

function fill(p: number, at: (i: number, j: number) => number): Matrix<Float64Array> {
  const out = new Float64Array(p * p);
  // a column's coefficient with itself is 1 unless it is undefined (constant / too few rows)
  const defined = Array.from({ length: p }, (_, i) => !Number.isNaN(at(i, i)));
  for (let i = 0; i < p; i++)
    for (let j = i; j < p; j++) {
      const v = i === j ? (defined[i] ? 1 : NaN) : defined[i] && defined[j] ? at(i, j) : NaN;
      out[i * p + j] = out[j * p + i] = Math.max(-1, Math.min(1, v));
    }
  return new Matrix(out, p, p);
}

/** corr without the GEMM: f64 throughout. */
export function corrSync(x: Frame | MatrixLike, options: CorrOptions = {}): CorrResult {
  const fn = 'corrSync';
  const { method, minPeriods } = settings(fn, options);
  const { names, cols, rows } = columnsOf(x, fn, options.columns);
  return corrOfColumns(names, cols, rows, method, minPeriods, cols.some(hasNaN));
}

/** corrSync on columns already read (and already checked for NaN: `anyNaN`). */
function corrOfColumns(names: string[], cols: Float64Array[], rows: number, method: CorrMethod, minPeriods: number, anyNaN: boolean): CorrResult {
  if (method !== 'kendall' && rows >= minPeriods && !anyNaN) {
    // centred products divided by the norms, without a standardised copy of each column
    const v = method === 'spearman' ? cols.map((c) => rankdata(c)) : cols;
    const centre = v.map(meanOf);
    const norm = v.map((c, j) => Math.sqrt(crossDeviations(c, c, rows, centre[j], centre[j])));
    return {
      columns: names,
      matrix: fill(names.length, (i, j) => {
        if (i === j) return rows < 2 ? NaN : norm[i] / norm[i]; // NaN for a constant column
        return rows < 2 ? NaN : crossDeviations(v[i], v[j], rows, centre[i], centre[j]) / norm[i] / norm[j];
      }),
    };
  }
  return { columns: names, matrix: fill(names.length, (i, j) => pairCoefficient(cols[i], cols[j], method, minPeriods)) };
}

/**
 * pandas' DataFrame.corr(method) over the numeric columns: a cols × cols matrix. Large complete
 * Pearson / Spearman inputs go through the GEMM (see the file comment).
 */
export async function corr(x: Frame | MatrixLike, options: CorrOptions = {}): Promise<CorrResult> {
  const fn = 'corr';
  const { method, minPeriods } = settings(fn, options);
  const { names, cols, rows } = columnsOf(x, fn, options.columns);
  const p = names.length;
  const gemm = options.gemm ?? 'auto';
  const large = rows * p * p >= (options.gemmThreshold ?? 2 ** 27);
  const anyNaN = cols.some(hasNaN);
  const usable = method !== 'kendall' && rows >= 2 && minPeriods <= rows && !anyNaN;
  if (!usable || gemm === false || (gemm === 'auto' && !large)) return corrOfColumns(names, cols, rows, method, minPeriods, anyNaN);
  const z = new Float32Array(rows * p);
  const constant: boolean[] = [];
  cols.forEach((c, j) => {
    const s = standardise(method === 'spearman' ? rankdata(c) : c);
    constant.push(Number.isNaN(s[0]));
    for (let r = 0; r < rows; r++) z[r * p + j] = s[r];
  });
  const zm = new Matrix(z, rows, p);
  const prod = await matmul(zm, zm, { transA: true, backend: options.backend, allowNonFinite: true });
  return { columns: names, matrix: fill(p, (i, j) => (constant[i] || constant[j] ? NaN : prod.data[i * p + j])) };
}
