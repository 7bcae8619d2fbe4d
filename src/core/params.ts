/**
 * Declarative parameter constraints. An estimator declares one spec per hyperparameter
 * (`ParamSpecs<P>`: a parameter without one is a compile error); `checkParamSpecs` checks a
 * parameter set against them and throws a ParamError worded the same for every estimator:
 *
 *     Ridge: alpha must be a finite number >= 0, got -1
 *
 * Each spec says what it expects as the phrase after "must be" (and the plural after "a list
 * of"), tests a value, and names a few values it refuses (what the tests construct with).
 */
import { KilnError, ParamError } from './errors.js';

export interface ParamSpec<T = unknown> {
  /** What the value must be, as the phrase after "must be": 'an integer >= 1'. */
  readonly expects: string;
  /** The same for several values, as the phrase after "a list of": 'integers >= 1'. */
  readonly plural: string;
  /** The alternatives `expects` lists (a union flattens its members' into one list). */
  readonly alternatives: readonly string[];
  /** Whether `v` is an allowed value. */
  accepts(v: unknown): v is T;
  /** Values the spec refuses, for tests (see invalidValue). */
  readonly probes: readonly unknown[];
}

/** One spec per parameter of P: adding a parameter without its spec does not compile. */
export type ParamSpecs<P> = { readonly [K in keyof P]-?: ParamSpec<P[K]> };

/** The value type a spec accepts. */
export type SpecType<S> = S extends ParamSpec<infer T> ? T : never;

function spec<T>(
  expects: string,
  plural: string,
  accepts: (v: unknown) => boolean,
  probes: readonly unknown[],
  alternatives: readonly string[] = [expects],
): ParamSpec<T> {
  return { expects, plural, alternatives, accepts: accepts as (v: unknown) => v is T, probes };
}

/** 'a', 'a or b', 'a, b or c'. */
function joinOr(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? 'nothing') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

/** A value as an error message shows it: strings quoted, lists and plain objects in short, class instances by class. */
export function showValue(v: unknown, depth = 0): string {
  if (typeof v === 'string') {
    const s = v.length > 60 ? `${v.slice(0, 60)}…` : v;
    return `'${JSON.stringify(s).slice(1, -1)}'`;
  }
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'symbol') return String(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) {
    if (depth >= 2) return v.length ? '[…]' : '[]';
    const items = v.slice(0, 8).map((x) => showValue(x, depth + 1));
    return `[${items.join(', ')}${v.length > 8 ? ', …' : ''}]`;
  }
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    if (depth >= 2) return '{…}';
    const entries = Object.entries(v as object);
    if (!entries.length) return '{}';
    const shown = entries.slice(0, 6).map(([k, x]) => `${k}: ${showValue(x, depth + 1)}`);
    return `{ ${shown.join(', ')}${entries.length > 6 ? ', …' : ''} }`;
  }
  return `a ${(v as object).constructor?.name ?? 'object'}`;
}

export interface NumOptions {
  min?: number;
  max?: number;
  /** min itself is refused (> min instead of >= min). */
  minExclusive?: boolean;
  /** max itself is refused (< max instead of <= max). */
  maxExclusive?: boolean;
  /** Whole numbers only (which are finite). */
  integer?: boolean;
  /** Refuses ±Infinity (NaN is always refused; list it with oneOf(NaN) where it means something). */
  finite?: boolean;
}

/** A number (never NaN), within the bounds given: 'a finite number >= 0', 'an integer in [2, 255]', 'a number in (0, 1]'. */
export function num(o: NumOptions = {}): ParamSpec<number> {
  const { min, max, minExclusive = false, maxExclusive = false, integer = false, finite = false } = o;
  const hasMin = min !== undefined,
    hasMax = max !== undefined;
  const finiteWord = finite && !integer && !(hasMin && hasMax) ? 'finite ' : '';
  let range = '';
  if (hasMin && hasMax) range = ` in ${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
  else if (hasMin) range = ` ${minExclusive ? '>' : '>='} ${min}`;
  else if (hasMax) range = ` ${maxExclusive ? '<' : '<='} ${max}`;
  const one = integer ? 'an integer' : `a ${finiteWord}number`;
  const many = integer ? 'integers' : `${finiteWord}numbers`;
  const accepts = (v: unknown): boolean =>
    typeof v === 'number' &&
    !Number.isNaN(v) &&
    (!integer || Number.isInteger(v)) &&
    (!finite || Number.isFinite(v)) &&
    (!hasMin || (minExclusive ? v > min : v >= min)) &&
    (!hasMax || (maxExclusive ? v < max : v <= max));
  const probes: unknown[] = [];
  if (hasMin) probes.push(minExclusive ? min : min - 1);
  if (hasMax) probes.push(maxExclusive ? max : max + 1);
  if (integer) probes.push((hasMin ? min : 0) + 0.5);
  if (finite || integer) probes.push(Infinity);
  probes.push(NaN, '1');
  return spec(`${one}${range}`, `${many}${range}`, accepts, probes);
}

/** An integer, within the bounds given: num({ integer: true, ... }). */
export function int(o: Omit<NumOptions, 'integer' | 'finite'> = {}): ParamSpec<number> {
  return num({ ...o, integer: true });
}

/** true or false. */
export function bool(): ParamSpec<boolean> {
  return spec('a boolean', 'booleans', (v) => typeof v === 'boolean', ['true', 1]);
}

/** A string (non-empty with { nonEmpty: true }). */
export function str(o: { nonEmpty?: boolean } = {}): ParamSpec<string> {
  const ne = o.nonEmpty ? 'non-empty ' : '';
  return spec(`a ${ne}string`, `${ne}strings`, (v) => typeof v === 'string' && (!o.nonEmpty || v.length > 0), [1, ...(o.nonEmpty ? [''] : [])]);
}

/** A function (a callback, a custom transform). */
export function fn(): ParamSpec<(...args: any[]) => any> {
  return spec('a function', 'functions', (v) => typeof v === 'function', ['not a function']);
}

/** Exactly one of the values listed (compared as Array.includes does, so NaN matches NaN): "'l2', 'l1' or 'max'". */
export function oneOf<const V extends readonly unknown[]>(...values: V): ParamSpec<V[number]> {
  const shown = values.map((v) => showValue(v));
  const probe = ['not-an-option', 0, null].find((p) => !values.includes(p));
  return spec(joinOr(shown), `values from ${shown.join(', ')}`, (v) => values.includes(v), [probe], shown);
}

/** Any of the specs: "'auto' or a number >= 0" (nested unions and oneOf values flatten into one list). */
export function union<S extends readonly ParamSpec<unknown>[]>(...specs: S): ParamSpec<SpecType<S[number]>> {
  const alternatives = specs.flatMap((s) => s.alternatives);
  const accepts = (v: unknown): boolean => specs.some((s) => s.accepts(v));
  return spec(
    joinOr(alternatives),
    joinOr(specs.map((s) => s.plural)),
    accepts,
    specs.flatMap((s) => s.probes),
    alternatives,
  );
}

/** null (meaning "none" / "unlimited") or what `s` accepts. */
export function nullable<T>(s: ParamSpec<T>): ParamSpec<T | null> {
  return union(oneOf(null), s);
}

/** undefined (the parameter left unset) or what `s` accepts. */
export function optional<T>(s: ParamSpec<T>): ParamSpec<T | undefined> {
  return union(oneOf(undefined), s);
}

export interface ListOptions {
  minLength?: number;
  /** No value twice. */
  distinct?: boolean;
}

/** An array whose every item `item` accepts: 'a non-empty list of distinct strings'. */
export function list<T>(item: ParamSpec<T>, o: ListOptions = {}): ParamSpec<T[]> {
  const { minLength = 0, distinct = false } = o;
  const size = minLength === 1 ? 'non-empty ' : '';
  const atLeast = minLength > 1 ? ` (at least ${minLength})` : '';
  const of = `of ${distinct ? 'distinct ' : ''}${item.plural}${atLeast}`;
  const accepts = (v: unknown): boolean =>
    Array.isArray(v) && v.length >= minLength && v.every((x) => item.accepts(x)) && (!distinct || new Set(v).size === v.length);
  const bad = item.probes.find((p) => !item.accepts(p));
  const probes: unknown[] = ['not a list', ...(bad === undefined ? [] : [[bad]])];
  if (minLength > 0) probes.push([]);
  return spec(`a ${size}list ${of}`, `${size}lists ${of}`, accepts, probes);
}

/** A two-item array [low, high] of values `item` accepts with low < high ('<') or low <= high ('<='). */
export function pair<T>(item: ParamSpec<T>, order: '<' | '<='): ParamSpec<[T, T]> {
  const phrase = `[low, high] of ${item.plural} with low ${order} high`;
  const accepts = (v: unknown): boolean =>
    Array.isArray(v) && v.length === 2 && item.accepts(v[0]) && item.accepts(v[1]) && (order === '<' ? v[0] < v[1] : v[0] <= v[1]);
  return spec(`a pair ${phrase}`, `pairs ${phrase}`, accepts, [[1, 0], [1], 'not a pair']);
}

/** A plain object whose every value `value` accepts (e.g. a weight per class label). */
export function record<T>(value: ParamSpec<T>): ParamSpec<Record<string, T>> {
  const accepts = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object') return false;
    const proto = Object.getPrototypeOf(v);
    return (proto === Object.prototype || proto === null) && Object.values(v).every((x) => value.accepts(x));
  };
  const bad = value.probes.find((p) => !value.accepts(p));
  return spec(`an object whose values are ${value.plural}`, `objects whose values are ${value.plural}`, accepts, [
    ...(bad === undefined ? [] : [{ key: bad }]),
    'not an object',
  ]);
}

/** What `s` accepts, and only where `test` holds too: refine(list(num({ min: 0 })), 'summing to 1', sumsToOne). */
export function refine<T>(s: ParamSpec<T>, phrase: string, test: (v: T) => boolean, probes: readonly unknown[] = []): ParamSpec<T> {
  return spec(`${s.expects} ${phrase}`, `${s.plural} ${phrase}`, (v) => s.accepts(v) && test(v), [...probes, ...s.probes]);
}

/** `s` with a note in brackets after what it expects (why the rule is there, or what to use instead). */
export function hint<T>(s: ParamSpec<T>, note: string): ParamSpec<T> {
  return spec(`${s.expects} (${note})`, `${s.plural} (${note})`, (v) => s.accepts(v), s.probes);
}

/** For the odd rule no builder states: what it expects (singular and plural), and its test. */
export function custom<T>(expects: string, test: (v: unknown) => boolean, o: { plural?: string; probes?: readonly unknown[] } = {}): ParamSpec<T> {
  return spec(expects, o.plural ?? `values that are each ${expects}`, test, o.probes ?? []);
}

/** Tried after a spec's own probes. */
const GENERIC_PROBES: readonly unknown[] = ['not-a-valid-value', -1, NaN, 1.5, {}, [], true, null];

/**
 * A value the spec refuses (its own probes first, then a few generic ones), or undefined if it
 * refuses none of them. Never undefined itself: an undefined parameter means its default.
 */
export function invalidValue(s: ParamSpec<unknown>): { value: unknown } | undefined {
  for (const v of [...s.probes, ...GENERIC_PROBES]) if (v !== undefined && !s.accepts(v)) return { value: v };
  return undefined;
}

/**
 * Checks every parameter against its spec: the first refused is a ParamError
 * `${owner}: ${name} must be ${expects}, got ${value}`.
 */
export function checkParamSpecs<P extends object>(owner: string, params: P, specs: ParamSpecs<P>): void {
  for (const key of Object.keys(params) as (keyof P & string)[]) {
    const s = specs[key] as ParamSpec<unknown> | undefined;
    if (!s) throw new KilnError('E_INTERNAL', `${owner}: parameter '${key}' has no spec; declare one in its paramSpecs`);
    if (!s.accepts(params[key])) throw new ParamError(`${owner}: ${key} must be ${s.expects}, got ${showValue(params[key])}`);
  }
}

/**
 * The builders as one object, exported from the package root for a class extending Estimator or
 * Transformer: `{ alpha: paramSpec.num({ min: 0, finite: true }), norm: paramSpec.oneOf('l1', 'l2') }`.
 */
export const paramSpec = Object.freeze({ bool, custom, fn, hint, int, list, nullable, num, oneOf, optional, pair, record, refine, str, union });
