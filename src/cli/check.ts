/**
 * Config checks that name the bad key: every reader takes the value and its path in the config
 * (`split.testSize`, `features.numeric[2]`) and throws E_PARAM saying what was expected there.
 */
import { ParamError } from '../core/errors.js';

/** Where a value sits in the config, for messages: the file and the key path. */
export class KeyPath {
  constructor(
    readonly file: string,
    readonly path: string = '',
  ) {}

  /** The path of a child key or index. */
  at(key: string | number): KeyPath {
    let step: string;
    if (typeof key === 'number') step = `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(key)) step = this.path ? `.${key}` : key;
    else step = `[${JSON.stringify(key)}]`;
    return new KeyPath(this.file, this.path + step);
  }

  /** `file: path: problem`, as E_PARAM. */
  fail(problem: string): never {
    throw new ParamError(this.describe(problem));
  }

  describe(problem: string): string {
    return `${this.file}: ${this.path || '(top level)'}: ${problem}`;
  }
}

export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  return String(v);
}

export type Obj = Record<string, unknown>;

/** A mapping whose keys are all among `known` (absent: `{}` when optional). */
export function mapping(v: unknown, at: KeyPath, known: readonly string[], optional = false): Obj {
  if (v === undefined && optional) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) at.fail(`must be a mapping (key: value), got ${show(v)}`);
  for (const k of Object.keys(v as Obj)) {
    if (!known.includes(k)) at.at(k).fail(`unknown key; known keys here are ${known.join(', ')}`);
  }
  return v as Obj;
}

export function string(v: unknown, at: KeyPath, dflt?: string): string {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'string' || v.length === 0) at.fail(`must be a non-empty string, got ${show(v)}`);
  return v;
}

export function optionalString(v: unknown, at: KeyPath): string | undefined {
  return v === undefined ? undefined : string(v, at);
}

export function choice<T extends string>(v: unknown, at: KeyPath, choices: readonly T[], dflt?: T): T {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'string' || !choices.includes(v as T)) at.fail(`must be one of ${choices.join(', ')}, got ${show(v)}`);
  return v as T;
}

export function boolean(v: unknown, at: KeyPath, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') at.fail(`must be true or false, got ${show(v)}`);
  return v;
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  /** Bounds excluded: (min, max). */
  open?: boolean;
}

export function number(v: unknown, at: KeyPath, rule: NumberRule, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt;
  const { integer = false, min = -Infinity, max = Infinity, open = false } = rule;
  const inRange = typeof v === 'number' && Number.isFinite(v) && (open ? v > min && v < max : v >= min && v <= max);
  if (!inRange || (integer && !Number.isInteger(v))) {
    const range =
      min === -Infinity && max === Infinity
        ? ''
        : max === Infinity
          ? ` ${open ? '>' : '>='} ${min}`
          : min === -Infinity
            ? ` ${open ? '<' : '<='} ${max}`
            : ` in ${open ? '(' : '['}${min}, ${max}${open ? ')' : ']'}`;
    at.fail(`must be ${integer ? 'an integer' : 'a number'}${range}, got ${show(v)}`);
  }
  return v as number;
}

/** A list of distinct non-empty strings (absent: `[]`). */
export function stringList(v: unknown, at: KeyPath, opts: { nonEmpty?: boolean } = {}): string[] {
  if (v === undefined && !opts.nonEmpty) return [];
  if (!Array.isArray(v)) at.fail(`must be a list of strings, got ${show(v)}`);
  if (opts.nonEmpty && v.length === 0) at.fail('must list at least one entry');
  const seen = new Set<string>();
  v.forEach((x, i) => {
    string(x, at.at(i));
    if (seen.has(x)) at.at(i).fail(`${show(x)} is listed twice`);
    seen.add(x);
  });
  return v as string[];
}

/** Text or a list of lines (model-card prose). */
export function prose(v: unknown, at: KeyPath): string | string[] | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  at.fail(`must be text or a list of lines, got ${show(v)}`);
}
