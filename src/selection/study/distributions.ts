/**
 * Parameter distributions as Optuna 3.1 defines them: building one checks its bounds (a `step`
 * trims `high` to the last value on the grid), and values move between their external form (what
 * the objective sees) and the internal number samplers work on (a categorical's index).
 */
import { ParamError } from '../../core/errors.js';
import type { CategoricalChoice, CategoricalDistribution, Distribution, FloatDistribution, IntDistribution, ParamValue } from './types.js';

export interface SuggestFloatOptions {
  /** Sample on a log scale (low must be > 0). Default: false. */
  log?: boolean;
  /** Values are low, low + step, …, ≤ high. Not with `log`. Default: none (continuous). */
  step?: number | null;
}
export interface SuggestIntOptions {
  /** Sample on a log scale (low must be ≥ 1, step 1). Default: false. */
  log?: boolean;
  /** Values are low, low + step, …, ≤ high. Default: 1. */
  step?: number;
}

/** The last value of low + k·step that is ≤ high (Optuna's adjustment, robust to rounding). */
function adjustHigh(low: number, high: number, step: number): number {
  const k = Math.floor((high - low) / step + 1e-9);
  return Number.parseFloat((low + k * step).toPrecision(15));
}

export function floatDistribution(owner: string, low: number, high: number, opts: SuggestFloatOptions = {}): FloatDistribution {
  const log = opts.log ?? false;
  const step = opts.step ?? null;
  if (!Number.isFinite(low) || !Number.isFinite(high)) throw new ParamError(`${owner}: low and high must be finite numbers, got ${low} and ${high}`);
  if (low > high) throw new ParamError(`${owner}: low must be <= high, got low ${low} > high ${high}`);
  if (typeof log !== 'boolean') throw new ParamError(`${owner}: log must be a boolean`);
  if (step !== null && !(typeof step === 'number' && Number.isFinite(step) && step > 0))
    throw new ParamError(`${owner}: step must be a number > 0, got ${step}`);
  if (log && step !== null) throw new ParamError(`${owner}: step and log cannot be used together; pass one of them`);
  if (log && low <= 0) throw new ParamError(`${owner}: a log scale needs low > 0, got ${low}`);
  return { type: 'float', low, high: step === null ? high : adjustHigh(low, high, step), log, step };
}

export function intDistribution(owner: string, low: number, high: number, opts: SuggestIntOptions = {}): IntDistribution {
  const log = opts.log ?? false;
  const step = opts.step ?? 1;
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new ParamError(`${owner}: low and high must be integers, got ${low} and ${high}`);
  if (low > high) throw new ParamError(`${owner}: low must be <= high, got low ${low} > high ${high}`);
  if (typeof log !== 'boolean') throw new ParamError(`${owner}: log must be a boolean`);
  if (!(Number.isInteger(step) && step >= 1)) throw new ParamError(`${owner}: step must be an integer >= 1, got ${step}`);
  if (log && step !== 1) throw new ParamError(`${owner}: a log scale needs step 1, got step ${step}`);
  if (log && low < 1) throw new ParamError(`${owner}: a log scale needs low >= 1, got ${low}`);
  return { type: 'int', low, high: low + Math.floor((high - low) / step) * step, log, step };
}

export function categoricalDistribution(owner: string, choices: readonly CategoricalChoice[]): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) throw new ParamError(`${owner}: choices must be a non-empty array`);
  for (const c of choices) {
    const t = typeof c;
    if (!(c === null || t === 'string' || t === 'boolean' || (t === 'number' && !Number.isNaN(c)))) {
      throw new ParamError(`${owner}: choices must be strings, numbers, booleans or null (what a study can store), got ${String(c)}`);
    }
  }
  return { type: 'categorical', choices: [...choices] };
}

/** The number samplers work on: the value itself, or a categorical's index. */
export function toInternal(d: Distribution, v: ParamValue): number {
  if (d.type === 'categorical') return d.choices.findIndex((c) => Object.is(c, v) || c === v);
  return v as number;
}

export function toExternal(d: Distribution, v: number): ParamValue {
  if (d.type === 'categorical') return d.choices[v];
  return d.type === 'int' ? Math.round(v) : v;
}

/** Whether `v` is a value of `d` (on its grid for a stepped one). */
export function contains(d: Distribution, v: ParamValue): boolean {
  if (d.type === 'categorical') return toInternal(d, v) >= 0;
  if (typeof v !== 'number' || !(v >= d.low && v <= d.high)) return false;
  if (d.type === 'int') return Number.isInteger(v) && (v - d.low) % d.step === 0;
  if (d.step === null) return true;
  const k = (v - d.low) / d.step;
  return Math.abs(k - Math.round(k)) < 1e-8;
}

/** A distribution with one possible value. */
export function isSingle(d: Distribution): boolean {
  if (d.type === 'categorical') return d.choices.length === 1;
  return d.low === d.high;
}

/** Whether two distributions are the same (field by field: samplers compare them per trial and parameter). */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (a === b) return true;
  if (a.type === 'categorical' || b.type === 'categorical') {
    if (a.type !== b.type) return false;
    const x = (a as CategoricalDistribution).choices,
      y = (b as CategoricalDistribution).choices;
    return x.length === y.length && x.every((c, i) => c === y[i]);
  }
  return a.type === b.type && a.low === b.low && a.high === b.high && a.log === b.log && a.step === b.step;
}

/** Checks that a parameter keeps its kind (and its choices) across trials, as Optuna does. */
export function checkCompatible(owner: string, name: string, previous: Distribution, next: Distribution): void {
  if (previous.type !== next.type) {
    throw new ParamError(`${owner}: parameter '${name}' was a ${previous.type} parameter in earlier trials and cannot become ${next.type}`);
  }
  if (previous.type === 'categorical' && JSON.stringify(previous.choices) !== JSON.stringify((next as CategoricalDistribution).choices)) {
    throw new ParamError(`${owner}: parameter '${name}' was suggested with other choices in earlier trials; keep its choices fixed`);
  }
}
