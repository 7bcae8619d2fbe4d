/**
 * A small vocabulary for stating, once per class, what a model file's fitted state must look
 * like (fitted-schemas.ts uses it). Checking runs before any hook rebuilds live state and before
 * any prediction, so a crafted file with valid checksums fails on load with E_MODEL_FORMAT naming
 * the field, never later as NaN output or a TypeError.
 *
 * Sizes are named dimensions: the first field that states `dim('p')` binds p, every later length
 * written in terms of p ('k*p', 'models*(p+1)') must agree with it.
 */
import { preview } from '../core/container.js';
import { ModelFormatError } from '../core/errors.js';

export type Dims = Map<string, number>;

export interface Spec {
  /** What the value should be, for the error message. */
  readonly expects: string;
  /** Throws a ModelFormatError naming `at`; binds or checks dimensions in `dims`. */
  check(v: unknown, at: string, dims: Dims): void;
  /** May be absent (or undefined). */
  readonly optional?: boolean;
}

export function fail(at: string, expects: string, found: unknown): never {
  const shown = ArrayBuffer.isView(found)
    ? `a ${found.constructor.name} of ${(found as unknown as ArrayLike<number>).length}`
    : found === undefined
      ? 'nothing'
      : found !== null && typeof found === 'object' && !Array.isArray(found) && Object.getPrototypeOf(found) !== Object.prototype
        ? `a ${(found as object).constructor?.name ?? 'object'}`
        : preview(found, 80);
  throw new ModelFormatError(`${at} should be ${expects}, found ${shown}`);
}

/** A length written as a product of dimension names, numbers and `name+N` terms: 'k*p', 'models*(p+1)'. */
export type Len = string | number;

function resolveLen(len: Len, dims: Dims, at: string): number {
  if (typeof len === 'number') return len;
  let out = 1;
  for (const raw of len.split('*')) {
    const term = raw.replace(/[()\s]/g, '');
    const m = /^([A-Za-z]\w*)(?:\+(\d+))?$/.exec(term);
    if (/^\d+$/.test(term)) out *= Number(term);
    else if (m && dims.has(m[1])) out *= (dims.get(m[1]) as number) + Number(m[2] ?? 0);
    else throw new ModelFormatError(`${at}: its size depends on '${m?.[1] ?? term}', which the file does not state first`);
  }
  return out;
}

function checkLen(n: number, len: Len | undefined, at: string, dims: Dims, found: unknown): void {
  if (len === undefined) return;
  // a bare name not bound yet is bound here: the first field that has the size states it
  if (typeof len === 'string' && /^[A-Za-z]\w*$/.test(len) && !dims.has(len)) {
    dims.set(len, n);
    return;
  }
  const want = resolveLen(len, dims, at);
  if (n !== want) fail(at, `of length ${want} (${len})`, found);
}

const spec = (expects: string, check: Spec['check']): Spec => ({ expects, check });

/**
 * The largest magnitude a fitted number may have. Past it, the first products and sums of a
 * prediction overflow to ±Infinity (1e100 × 1e100 is still finite, 1e308 × 10 is not); no fit on
 * data of any sensible scale produces such values, so a file holding them has been tampered with.
 */
export const MAX_MAGNITUDE = 1e100;

/** Anything (fields that never reach a prediction: training history, losses). */
export const anything: Spec = spec('any value', () => undefined);

/** The field must be absent or undefined (live state a hook rebuilds on load). */
export const absent: Spec = {
  expects: 'absent',
  optional: true,
  check: (v, at) => {
    if (v !== undefined) fail(at, 'absent (it is rebuilt on load)', v);
  },
};

export function optional(s: Spec): Spec {
  return {
    expects: `${s.expects} or nothing`,
    optional: true,
    check: (v, at, d) => {
      if (v !== undefined) s.check(v, at, d);
    },
  };
}

export function nullable(s: Spec): Spec {
  return {
    ...s,
    expects: `${s.expects} or null`,
    check: (v, at, d) => {
      if (v !== null) s.check(v, at, d);
    },
  };
}

export const bool: Spec = spec('a boolean', (v, at) => {
  if (typeof v !== 'boolean') fail(at, 'a boolean', v);
});
export const str: Spec = spec('a string', (v, at) => {
  if (typeof v !== 'string') fail(at, 'a string', v);
});

export function oneOf(...values: readonly unknown[]): Spec {
  const expects = `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
  return spec(expects, (v, at) => {
    if (!values.includes(v)) fail(at, expects, v);
  });
}

/** A finite number (or, with `allow`, also ±Infinity / NaN). */
export function num(opts: { min?: number; allow?: 'infinite' | 'nan' } = {}): Spec {
  const expects = `a finite number${opts.min !== undefined ? ` >= ${opts.min}` : ''} of magnitude up to ${MAX_MAGNITUDE}`;
  return spec(expects, (v, at) => {
    if (typeof v !== 'number') fail(at, expects, v);
    if (Number.isNaN(v) ? opts.allow !== 'nan' : Math.abs(v) > MAX_MAGNITUDE && !(v === Infinity || v === -Infinity ? opts.allow === 'infinite' : false))
      fail(at, expects, v);
    if (opts.min !== undefined && v < opts.min) fail(at, expects, v);
  });
}

export function int(min = 0, max = Number.MAX_SAFE_INTEGER): Spec {
  const expects = `an integer in [${min}, ${max}]`;
  return spec(expects, (v, at) => {
    if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) fail(at, expects, v);
  });
}

/** An integer >= min that is (or binds) the dimension `name`. */
export function dim(name: string, min = 1): Spec {
  const expects = `an integer >= ${min} (${name})`;
  return spec(expects, (v, at, dims) => {
    if (!Number.isSafeInteger(v) || (v as number) < min) fail(at, expects, v);
    checkLen(v as number, name, at, dims, v);
  });
}

type TypedCtor = Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor | Uint32ArrayConstructor;

export interface TypedOpts {
  len?: Len;
  /** Values allowed besides finite numbers (default none). */
  allow?: 'nan' | 'infinite';
  min?: number;
  /** Exclusive upper bound, a number or a dimension. */
  below?: Len;
  /** Non-decreasing. */
  sorted?: boolean;
}

/** A typed array of exactly this type, its length and values checked. */
export function typed(Ctor: TypedCtor, opts: TypedOpts = {}): Spec {
  const kind = Ctor.name;
  const expects = `a ${kind}${opts.len !== undefined ? ` of length ${opts.len}` : ''}`;
  return spec(expects, (v, at, dims) => {
    if (!(v instanceof Ctor)) fail(at, expects, v);
    const a = v as Float64Array;
    checkLen(a.length, opts.len, at, dims, v);
    const below = opts.below === undefined ? Infinity : resolveLen(opts.below, dims, at);
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const ok = Number.isNaN(x) ? opts.allow === 'nan' : Math.abs(x) <= MAX_MAGNITUDE || (opts.allow === 'infinite' && Math.abs(x) === Infinity);
      if (!ok || (opts.min !== undefined && x < opts.min) || (opts.below !== undefined && x >= below)) {
        const range = `${opts.min !== undefined ? ` >= ${opts.min}` : ''}${below !== Infinity ? ` below ${below}` : ''}`;
        fail(`${at}[${i}]`, `a ${opts.allow === 'nan' ? 'number' : 'finite number'}${range} of magnitude up to ${MAX_MAGNITUDE}`, x);
      }
      if (opts.sorted && i > 0 && x < a[i - 1]) fail(`${at}[${i}]`, `>= the value before it (${a[i - 1]})`, x);
    }
  });
}

export const f64 = (opts: TypedOpts = {}): Spec => typed(Float64Array, opts);
export const f32 = (opts: TypedOpts = {}): Spec => typed(Float32Array, opts);
export const i32 = (opts: TypedOpts = {}): Spec => typed(Int32Array, opts);

/** A JS array whose every item matches `item`. */
export function list(item: Spec, len?: Len, opts: { unique?: boolean; minLength?: number } = {}): Spec {
  const expects = `an array of ${item.expects}${len !== undefined ? ` (length ${len})` : ''}`;
  return spec(expects, (v, at, dims) => {
    if (!Array.isArray(v)) fail(at, expects, v);
    checkLen(v.length, len, at, dims, v);
    if (opts.minLength !== undefined && v.length < opts.minLength) fail(at, `an array of at least ${opts.minLength} items`, v);
    for (let i = 0; i < v.length; i++) item.check(v[i], `${at}[${i}]`, dims);
    if (opts.unique && new Set(v).size !== v.length) fail(at, 'an array of distinct values', v);
  });
}

/** A category as the encoders hold it: a string or a finite number (null: a missing value, where encoders keep one). */
export const category: Spec = spec('a string or a finite number', (v, at) => {
  if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v)) && v !== null) fail(at, 'a string, a finite number or null', v);
});

/** A classifier's class list: non-empty, distinct strings or numbers; binds its length. */
export const labels = (len: Len): Spec => list(category, len, { unique: true, minLength: 1 });

/** A Map from keys matching `key` to values matching `value`. */
export function mapOf(key: Spec, value: Spec, len?: Len): Spec {
  const expects = `a Map of ${key.expects} to ${value.expects}`;
  return spec(expects, (v, at, dims) => {
    if (!(v instanceof Map)) fail(at, expects, v);
    checkLen(v.size, len, at, dims, v);
    let i = 0;
    for (const [k, x] of v) {
      key.check(k, `${at}.key${i}`, dims);
      value.check(x, `${at}.get(${preview(k, 40)})`, dims);
      i++;
    }
  });
}

export type Fields = Record<string, Spec>;

/** Own fields exactly these: a missing required field or an unknown one (which could shadow a method) is refused. */
export function checkFields(o: Record<string, unknown>, fields: Fields, at: string, dims: Dims): void {
  for (const k of Object.keys(o)) if (!Object.hasOwn(fields, k)) throw new ModelFormatError(`${at} has an unexpected field '${k.slice(0, 60)}'`);
  for (const [k, s] of Object.entries(fields)) {
    if (!Object.hasOwn(o, k) && !s.optional) throw new ModelFormatError(`${at}.${k} is missing (it should be ${s.expects})`);
    s.check(o[k], `${at}.${k}`, dims);
  }
}

/** A plain object with exactly these fields. */
export function record(fields: Fields): Spec {
  return spec('an object', (v, at, dims) => {
    if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) fail(at, 'a plain object', v);
    checkFields(v as Record<string, unknown>, fields, at, dims);
  });
}

/** An instance of exactly this class with exactly these fields (Matrix, the trees, a random generator). */
export function instance(Ctor: abstract new (...a: never[]) => object, fields: Fields, then?: (o: any, at: string, dims: Dims) => void): Spec {
  const expects = `a ${Ctor.name}`;
  return spec(expects, (v, at, dims) => {
    if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Ctor.prototype) fail(at, expects, v);
    checkFields(v as Record<string, unknown>, fields, at, dims);
    then?.(v, at, dims);
  });
}

/** Cross-field rules a shape cannot say (sorted edges, a permutation, tree structure). */
// biome-ignore lint/suspicious/noConfusingVoidType: a rule may return nothing (passes) or false (fails)
export function rule(expects: string, test: (v: any, at: string, dims: Dims) => boolean | void): Spec {
  return spec(expects, (v, at, dims) => {
    if (test(v, at, dims) === false) fail(at, expects, v);
  });
}
