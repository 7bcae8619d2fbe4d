/**
 * The distributions a randomized search draws parameter values from (scipy.stats' uniform,
 * loguniform, randint and a plain choice), as plain frozen data — so a search that holds them
 * saves with its model file — and one function that draws from them with kiln's seeded Rng.
 */
import { ParamError } from '../../core/errors.js';
import type { Rng } from '../../core/prng.js';

/** Uniform on [loc, loc + scale] (scipy.stats.uniform(loc, scale)). */
export interface UniformDistribution {
  readonly dist: 'uniform';
  readonly loc: number;
  readonly scale: number;
}
/** Log-uniform on [a, b] (scipy.stats.loguniform(a, b)). */
export interface LogUniformDistribution {
  readonly dist: 'loguniform';
  readonly a: number;
  readonly b: number;
}
/** Integers lo, lo + 1, …, hi − 1, equally likely (scipy.stats.randint(lo, hi)). */
export interface RandIntDistribution {
  readonly dist: 'randint';
  readonly lo: number;
  readonly hi: number;
}
/** One of the given values, equally likely. */
export interface ChoiceDistribution<T = unknown> {
  readonly dist: 'choice';
  readonly values: readonly T[];
}
export type Distribution = UniformDistribution | LogUniformDistribution | RandIntDistribution | ChoiceDistribution;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Uniform on [loc, loc + scale], as scipy.stats.uniform. */
export function uniform(loc = 0, scale = 1): UniformDistribution {
  if (!finite(loc) || !finite(scale) || scale < 0)
    throw new ParamError(`uniform(loc, scale): loc must be finite and scale a finite number >= 0, got ${loc}, ${scale}`);
  return Object.freeze({ dist: 'uniform', loc, scale });
}

/** Log-uniform on [a, b], 0 < a < b, as scipy.stats.loguniform (e.g. a learning rate: loguniform(1e-4, 1)). */
export function loguniform(a: number, b: number): LogUniformDistribution {
  if (!finite(a) || !finite(b) || a <= 0 || b <= a) throw new ParamError(`loguniform(a, b): needs finite 0 < a < b, got ${a}, ${b}`);
  return Object.freeze({ dist: 'loguniform', a, b });
}

/** Integers in [lo, hi) — hi excluded, as scipy.stats.randint. */
export function randint(lo: number, hi: number): RandIntDistribution {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi <= lo)
    throw new ParamError(`randint(lo, hi): needs integers lo < hi (hi is excluded), got ${lo}, ${hi}`);
  return Object.freeze({ dist: 'randint', lo, hi });
}

/** One of `values`, each equally likely. */
export function choice<T>(values: readonly T[]): ChoiceDistribution<T> {
  if (!Array.isArray(values) || values.length === 0) throw new ParamError('choice(values): values must be a non-empty array');
  return Object.freeze({ dist: 'choice', values: Object.freeze([...values]) });
}

/** True for a distribution made by uniform / loguniform / randint / choice (or the same plain shape). */
export function isDistribution(v: unknown): v is Distribution {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const d = v as Record<string, unknown>;
  switch (d.dist) {
    case 'uniform':
      return finite(d.loc) && finite(d.scale) && d.scale >= 0;
    case 'loguniform':
      return finite(d.a) && finite(d.b) && d.a > 0 && d.b > d.a;
    case 'randint':
      return Number.isSafeInteger(d.lo) && Number.isSafeInteger(d.hi) && (d.hi as number) > (d.lo as number);
    case 'choice':
      return Array.isArray(d.values) && d.values.length > 0;
    default:
      return false;
  }
}

/** One value drawn from `d` with `rng`. */
export function draw(d: Distribution, rng: Rng): unknown {
  switch (d.dist) {
    case 'uniform':
      return d.loc + d.scale * rng.random();
    case 'loguniform':
      return Math.exp(Math.log(d.a) + (Math.log(d.b) - Math.log(d.a)) * rng.random());
    case 'randint':
      return d.lo + Math.floor(rng.random() * (d.hi - d.lo));
    case 'choice':
      return d.values[rng.int(d.values.length)];
  }
}
