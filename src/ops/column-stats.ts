/** Column reductions in one pass: count, sum, mean, variance, std, min, max. */
import { NonFiniteError, ParamError } from '../core/errors.js';
import { toMatrix, type MatrixLike } from '../core/matrix.js';
import { checkOptions, requireNonEmpty } from '../core/validate.js';
import type { BackendChoice, RawColumnStats } from '../backend/backend.js';
import { deviceKernels, resolveBackend, resolveBackendSync } from '../backend/select.js';
import type { GpuMatrix } from '../backend/index.js';
import { isGpu } from './gpu.js';

export interface ColumnStatsOptions {
  /** Delta degrees of freedom for variance and std (default 0, like numpy; 1 = sample variance). */
  ddof?: number;
  /** 'error' (default) rejects NaN/±Infinity; 'ignore' skips them, like pandas. */
  nonFinite?: 'error' | 'ignore';
  backend?: BackendChoice;
}

export interface ColumnStats {
  /** Finite values per column. */
  count: Float64Array;
  /** NaN/±Infinity values per column (all zero unless nonFinite: 'ignore'). */
  nonFinite: Float64Array;
  sum: Float64Array;
  mean: Float64Array;
  /** m2 / (count − ddof); NaN where count ≤ ddof. */
  variance: Float64Array;
  std: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

const OPTION_KEYS = ['ddof', 'nonFinite', 'backend'] as const;

/** Statistics of every column of `x` (f32 or f64 input; results in f64). */
export async function columnStats(x: MatrixLike | GpuMatrix, opts: ColumnStatsOptions = {}): Promise<ColumnStats> {
  if (isGpu(x)) {
    const { ddof, nonFinite } = checkStatsOptions(opts, 'columnStats');
    return finish(await (await deviceKernels(opts.backend, 'columnStats')).columnStats(x), ddof, nonFinite, 'columnStats');
  }
  const { m, ddof, nonFinite } = prepare(x, opts, 'columnStats');
  const backend = await resolveBackend(opts.backend, m.rows * m.cols);
  return finish(await backend.reduce.columnStats(m.data, m.rows, m.cols), ddof, nonFinite, 'columnStats');
}

export function columnStatsSync(x: MatrixLike, opts: ColumnStatsOptions = {}): ColumnStats {
  const { m, ddof, nonFinite } = prepare(x, opts, 'columnStatsSync');
  const raw = resolveBackendSync(opts.backend, 'columnStatsSync').reduce.columnStatsSync(m.data, m.rows, m.cols);
  return finish(raw, ddof, nonFinite, 'columnStatsSync');
}

export async function columnSum(x: MatrixLike | GpuMatrix, opts: Omit<ColumnStatsOptions, 'ddof'> = {}): Promise<Float64Array> {
  return (await columnStats(x, opts)).sum;
}
export async function columnMean(x: MatrixLike | GpuMatrix, opts: Omit<ColumnStatsOptions, 'ddof'> = {}): Promise<Float64Array> {
  return (await columnStats(x, opts)).mean;
}
export async function columnVariance(x: MatrixLike | GpuMatrix, opts: ColumnStatsOptions = {}): Promise<Float64Array> {
  return (await columnStats(x, opts)).variance;
}
export async function columnMin(x: MatrixLike | GpuMatrix, opts: Omit<ColumnStatsOptions, 'ddof'> = {}): Promise<Float64Array> {
  return (await columnStats(x, opts)).min;
}
export async function columnMax(x: MatrixLike | GpuMatrix, opts: Omit<ColumnStatsOptions, 'ddof'> = {}): Promise<Float64Array> {
  return (await columnStats(x, opts)).max;
}

function checkStatsOptions(opts: ColumnStatsOptions, fn: string) {
  checkOptions(opts, OPTION_KEYS, fn);
  const ddof = opts.ddof ?? 0;
  if (!Number.isInteger(ddof) || ddof < 0) throw new ParamError(`${fn}: ddof must be a non-negative integer, got ${ddof}`);
  const nonFinite = opts.nonFinite ?? 'error';
  if (nonFinite !== 'error' && nonFinite !== 'ignore') {
    throw new ParamError(`${fn}: nonFinite must be 'error' or 'ignore', got ${JSON.stringify(nonFinite)}`);
  }
  return { ddof, nonFinite };
}

function prepare(x: MatrixLike, opts: ColumnStatsOptions, fn: string) {
  const { ddof, nonFinite } = checkStatsOptions(opts, fn);
  const m = toMatrix(x, `${fn}: x`);
  requireNonEmpty(m, `${fn}: x`);
  return { m, ddof, nonFinite };
}

function finish(raw: RawColumnStats, ddof: number, nonFinite: 'error' | 'ignore', fn: string): ColumnStats {
  const cols = raw.count.length;
  if (nonFinite === 'error') {
    const c = raw.nonFinite.findIndex((v) => v > 0);
    if (c >= 0) {
      throw new NonFiniteError(
        `${fn}: x has ${raw.nonFinite[c]} NaN/Infinity value(s) in column ${c}; ` + "impute them first, or pass { nonFinite: 'ignore' } to skip them",
      );
    }
  }
  const variance = new Float64Array(cols);
  const std = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    const dof = raw.count[j] - ddof;
    variance[j] = dof > 0 ? Math.max(0, raw.m2[j]) / dof : NaN;
    std[j] = Math.sqrt(variance[j]);
  }
  return {
    count: raw.count,
    nonFinite: raw.nonFinite,
    sum: raw.sum,
    mean: raw.mean.map((v, j) => (raw.count[j] > 0 ? v : NaN)),
    variance,
    std,
    min: raw.min.map((v, j) => (raw.count[j] > 0 ? v : NaN)),
    max: raw.max.map((v, j) => (raw.count[j] > 0 ? v : NaN)),
  };
}
