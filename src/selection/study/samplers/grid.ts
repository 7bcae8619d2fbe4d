/**
 * Optuna's GridSampler: every combination of the listed values once, in a seeded random order.
 * A trial takes an unvisited grid point when it starts (kept in its `gridId` attribute, so a
 * resumed persisted study goes on with the points left); the study stops once every point has
 * been run.
 */
import { ParamError } from '../../../core/errors.js';
import type { Rng } from '../../../core/prng.js';
import { checkOptions } from '../../../core/validate.js';
import { contains } from '../distributions.js';
import type { CategoricalChoice, Distribution, FrozenTrial, ParamValue, Sampler, StudyView } from '../types.js';
import { samplerRng } from './seed.js';

export interface GridSamplerOptions {
  /** Seed of the order the grid points are visited in. Default: a random seed. */
  seed?: number;
}

export class GridSampler implements Sampler {
  /** Parameter names, sorted (as Optuna orders the grid). */
  readonly paramNames: string[];
  private readonly space: Record<string, CategoricalChoice[]>;
  private readonly key: string;
  /** How many grid points there are. */
  readonly size: number;
  private readonly rng: Rng;

  constructor(searchSpace: Record<string, readonly CategoricalChoice[]>, opts: GridSamplerOptions = {}) {
    if (searchSpace === null || typeof searchSpace !== 'object' || Array.isArray(searchSpace)) {
      throw new ParamError('GridSampler: searchSpace must be an object of parameter name → values, e.g. { lr: [0.01, 0.1], depth: [3, 5] }');
    }
    this.paramNames = Object.keys(searchSpace).sort();
    if (this.paramNames.length === 0) throw new ParamError('GridSampler: searchSpace is empty; list at least one parameter and its values');
    this.space = {};
    let size = 1;
    for (const name of this.paramNames) {
      const values = searchSpace[name];
      if (!Array.isArray(values) || values.length === 0) throw new ParamError(`GridSampler: searchSpace.${name} must be a non-empty array of values`);
      for (const v of values) {
        if (!(v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
          throw new ParamError(`GridSampler: searchSpace.${name} holds ${String(v)}; values must be strings, numbers, booleans or null`);
        }
      }
      this.space[name] = [...values];
      size *= values.length;
    }
    this.size = size;
    this.key = JSON.stringify(this.space);
    checkOptions(opts, ['seed'], 'GridSampler');
    this.rng = samplerRng('GridSampler', opts.seed);
  }

  /** The values of grid point `id` (ids run through the last parameter fastest, as itertools.product). */
  point(id: number): Record<string, CategoricalChoice> {
    const out: Record<string, CategoricalChoice> = {};
    let rest = id;
    for (let i = this.paramNames.length - 1; i >= 0; i--) {
      const values = this.space[this.paramNames[i]];
      out[this.paramNames[i]] = values[rest % values.length];
      rest = Math.floor(rest / values.length);
    }
    return out;
  }

  private unvisited(study: StudyView): number[] {
    const visited = new Set<number>(),
      running = new Set<number>();
    for (const t of study.getTrials()) {
      if (typeof t.systemAttrs.gridId !== 'number' || t.systemAttrs.gridSpace !== this.key) continue;
      if (t.state === 'RUNNING') running.add(t.systemAttrs.gridId);
      else if (t.state !== 'WAITING') visited.add(t.systemAttrs.gridId);
    }
    const all = Array.from({ length: this.size }, (_, i) => i).filter((i) => !visited.has(i));
    const free = all.filter((i) => !running.has(i));
    return free.length > 0 ? free : all;
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    if ('gridId' in trial.systemAttrs || 'fixedParams' in trial.systemAttrs) return;
    let targets = this.unvisited(study).filter((i) => i !== undefined);
    if (targets.length === 0) targets = Array.from({ length: this.size }, (_, i) => i);
    const id = targets[this.rng.int(targets.length)];
    study.setTrialSystemAttr(trial.number, 'gridSpace', this.key);
    study.setTrialSystemAttr(trial.number, 'gridId', id);
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const id = trial.systemAttrs.gridId;
    if (typeof id !== 'number') throw new ParamError('GridSampler: an enqueued trial must fix every parameter of the grid');
    if (!(name in this.space))
      throw new ParamError(`GridSampler: parameter '${name}' is not in the grid (${this.paramNames.join(', ')}); add its values to searchSpace`);
    const v = this.point(id)[name];
    if (!contains(distribution, v)) {
      throw new ParamError(
        `GridSampler: the grid value ${JSON.stringify(v)} of '${name}' is outside the range the objective suggests (${JSON.stringify(distribution)})`,
      );
    }
    return v;
  }

  afterTrial(study: StudyView, trial: FrozenTrial): void {
    const left = this.unvisited(study);
    // unvisited() falls back to the running points when no point is free: count only unfinished ones.
    const finished = new Set(
      study
        .getTrials()
        .filter((t) => t.state !== 'RUNNING' && t.state !== 'WAITING' && t.systemAttrs.gridSpace === this.key)
        .map((t) => t.systemAttrs.gridId as number),
    );
    const notDone = left.filter((i) => !finished.has(i));
    if (notDone.length === 0 || (notDone.length === 1 && notDone[0] === trial.systemAttrs.gridId)) study.stop();
  }
}
