/**
 * scikit-learn's ParameterSampler: nIter parameter settings drawn from distributions (and lists,
 * drawn uniformly), seeded with kiln's Rng so the same randomState gives the same settings on
 * every platform. When every value is a list, settings are drawn without replacement from the
 * grid (at most its size), as scikit-learn does.
 */
import { ParamError } from '../../core/errors.js';
import { Rng } from '../../core/prng.js';
import { draw, isDistribution, type Distribution } from './distributions.js';
import { ParameterGrid } from './parameter-grid.js';

/** Parameter name → a distribution (uniform, loguniform, randint, choice) or an array of values. */
export type ParamDistributions = Record<string, Distribution | readonly unknown[]>;

function checkDistributions(d: unknown, where: string): [string, Distribution | readonly unknown[]][] {
  if (d === null || typeof d !== 'object' || Array.isArray(d)) {
    throw new ParamError(`${where} must be an object of parameter name → distribution or array, e.g. { C: loguniform(1e-3, 1e3) }, got ${String(d)}`);
  }
  const items = Object.entries(d as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k, v] of items) {
    if (Array.isArray(v)) {
      if (v.length === 0) throw new ParamError(`${where}: parameter '${k}' has an empty list of values; give at least one`);
    } else if (!isDistribution(v)) {
      throw new ParamError(`${where}: parameter '${k}' must be an array of values or a distribution (uniform, loguniform, randint, choice), got ${String(v)}`);
    }
  }
  return items as [string, Distribution | readonly unknown[]][];
}

/** nIter settings drawn from one set of distributions or a list of them (each setting picks one set first). */
export function sampleParameters(
  paramDistributions: ParamDistributions | readonly ParamDistributions[],
  nIter: number,
  randomState = 0,
): Record<string, unknown>[] {
  const fn = 'sampleParameters';
  if (!Number.isInteger(nIter) || nIter < 1) throw new ParamError(`${fn}: nIter must be an integer >= 1, got ${nIter}`);
  const list = Array.isArray(paramDistributions) ? paramDistributions : [paramDistributions];
  if (list.length === 0) throw new ParamError(`${fn}: the list of distributions is empty`);
  const sets = list.map((d, i) => checkDistributions(d, Array.isArray(paramDistributions) ? `${fn}: distributions ${i}` : `${fn}: paramDistributions`));
  const rng = new Rng(randomState);
  if (sets.every((s) => s.every(([, v]) => Array.isArray(v)))) {
    const grid = new ParameterGrid(sets.map((s) => Object.fromEntries(s) as Record<string, readonly unknown[]>));
    // Floyd's sampling: n distinct indices of the grid in O(n), however large the grid
    const total = grid.length;
    const chosen = new Set<number>();
    const picks: number[] = [];
    for (let j = total - Math.min(nIter, total); j < total; j++) {
      const t = rng.int(j + 1);
      const pick = chosen.has(t) ? j : t;
      chosen.add(pick);
      picks.push(pick);
    }
    return picks.map((i) => grid.at(i));
  }
  const out: Record<string, unknown>[] = [];
  for (let it = 0; it < nIter; it++) {
    const set = sets[sets.length === 1 ? 0 : rng.int(sets.length)];
    out.push(Object.fromEntries(set.map(([k, v]) => [k, Array.isArray(v) ? v[rng.int(v.length)] : draw(v as Distribution, rng)])));
  }
  return out;
}

/** scikit-learn's ParameterSampler as an iterable of settings. */
export class ParameterSampler implements Iterable<Record<string, unknown>> {
  private readonly settings: Record<string, unknown>[];
  constructor(paramDistributions: ParamDistributions | readonly ParamDistributions[], nIter: number, randomState = 0) {
    this.settings = sampleParameters(paramDistributions, nIter, randomState);
  }
  get length(): number {
    return this.settings.length;
  }
  [Symbol.iterator](): Iterator<Record<string, unknown>> {
    return this.settings.map((s) => ({ ...s }))[Symbol.iterator]();
  }
  toArray(): Record<string, unknown>[] {
    return [...this];
  }
}
