/**
 * Reading samples for the statistics room: numeric 1-D input (arrays with null for missing,
 * typed arrays), scipy's NaN policy, and the checks every function shares (empty input, paired
 * lengths, the minimum sample size of a test), each failing with a KilnError naming the argument.
 */
import { countNaN } from '../core/passes.js';
import { DTypeError, EmptyInputError, LengthError, NonFiniteError, ParamError, SampleSizeError } from '../core/errors.js';

/** A 1-D numeric sample: numbers (null or NaN = missing) or any typed array. */
export type Sample = ArrayLike<number | null>;

/**
 * What to do with NaN (missing) values, as scipy's `nan_policy`: `'propagate'` returns NaN
 * results, `'omit'` drops them (pairs are dropped together for paired data), `'raise'` throws
 * `E_NONFINITE`.
 */
export type NanPolicy = 'propagate' | 'omit' | 'raise';

/** The alternative hypothesis of a test, as scipy's `alternative`. */
export type Alternative = 'two-sided' | 'less' | 'greater';

export interface NanOptions {
  /** What to do with NaN values. Default: 'propagate'. */
  nanPolicy?: NanPolicy;
}

export interface TestOptions extends NanOptions {
  /** The alternative hypothesis. Default: 'two-sided'. */
  alternative?: Alternative;
}

const POLICIES: readonly NanPolicy[] = ['propagate', 'omit', 'raise'];
const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'less', 'greater'];

/** A string option checked against its allowed values. */
export function oneOfOption<T extends string>(fn: string, name: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw new ParamError(`${fn}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  return value;
}

export const nanPolicyOf = (fn: string, o?: NanOptions) => oneOfOption(fn, 'nanPolicy', o?.nanPolicy, POLICIES, 'propagate');
export const alternativeOf = (fn: string, o?: TestOptions) => oneOfOption(fn, 'alternative', o?.alternative, ALTERNATIVES, 'two-sided');

/** Copies a sample into f64 (null → NaN); refuses non-arrays, non-numbers and empty input. */
export function toFloat64(x: Sample, fn: string, arg: string): Float64Array {
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<unknown>).length !== 'number')
    throw new DTypeError(`${fn}: ${arg} must be an array of numbers or a typed array, got ${x === null ? 'null' : typeof x}`);
  if (x.length === 0) throw new EmptyInputError(`${fn}: ${arg} is empty; pass at least one value`);
  if (x instanceof Float64Array) return x;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === null || v === undefined) out[i] = NaN;
    else if (typeof v !== 'number')
      throw new DTypeError(`${fn}: ${arg}[${i}] is ${JSON.stringify(v)} (${typeof v}); a sample holds numbers (null or NaN for missing)`);
    else out[i] = v;
  }
  return out;
}

function dropNaN(v: Float64Array): Float64Array {
  const out = new Float64Array(v.length - countNaN(v));
  let k = 0;
  for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i])) out[k++] = v[i];
  return out;
}

/**
 * One sample under a NaN policy. `nan` is true when a NaN is present under 'propagate' (the
 * caller returns NaN results, as scipy does); under 'omit' NaNs are dropped.
 */
export function readSample(x: Sample, fn: string, arg: string, policy: NanPolicy): { values: Float64Array; nan: boolean } {
  const v = toFloat64(x, fn, arg);
  const k = countNaN(v);
  if (k === 0) return { values: v, nan: false };
  if (policy === 'raise') throw new NonFiniteError(`${fn}: ${arg} holds ${k} NaN value(s); drop them or pass nanPolicy: 'omit'`);
  if (policy === 'propagate') return { values: v, nan: true };
  return { values: dropNaN(v), nan: false };
}

/** Two paired samples of equal length under a NaN policy ('omit' drops a pair when either is NaN). */
export function readPaired(x: Sample, y: Sample, fn: string, args: [string, string], policy: NanPolicy): { x: Float64Array; y: Float64Array; nan: boolean } {
  const a = toFloat64(x, fn, args[0]),
    b = toFloat64(y, fn, args[1]);
  if (a.length !== b.length)
    throw new LengthError(`${fn}: ${args[0]} has ${a.length} values and ${args[1]} has ${b.length}; paired samples need equal lengths`);
  const k = countNaN(a) + countNaN(b);
  if (k === 0) return { x: a, y: b, nan: false };
  if (policy === 'raise') throw new NonFiniteError(`${fn}: ${args[0]} or ${args[1]} holds NaN values; drop them or pass nanPolicy: 'omit'`);
  if (policy === 'propagate') return { x: a, y: b, nan: true };
  const xs: number[] = [],
    ys: number[] = [];
  for (let i = 0; i < a.length; i++)
    if (!Number.isNaN(a[i]) && !Number.isNaN(b[i])) {
      xs.push(a[i]);
      ys.push(b[i]);
    }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), nan: false };
}

/** Throws E_SAMPLE_SIZE when a sample (after missing values are handled) has fewer than `min` values. */
export function requireSize(n: number, min: number, fn: string, arg: string, why = ''): void {
  if (n < min) throw new SampleSizeError(`${fn}: ${arg} has ${n} usable value(s); the test needs at least ${min}${why ? ` (${why})` : ''}`);
}

/** True when every value equals the first (a constant sample: many statistics are NaN then, as in scipy). */
export function isConstant(v: ArrayLike<number>): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}
