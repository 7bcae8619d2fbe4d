/**
 * Optuna 3.1's TPESampler with its defaults (independent sampling, multivariate off): after
 * `nStartupTrials` finished trials (random sampling before), the finished trials are split into
 * the best gamma(n) = min(⌈0.1·n⌉, 25) and the rest (a pruned trial ranks by the last step it
 * reached, then by its last value); a Parzen estimator l(x) is fitted to the good ones and g(x)
 * to the rest, `nEiCandidates` values are drawn from l, and the one maximising l(x)/g(x) — the
 * expected improvement — is returned.
 *
 * `multivariate: true` is Optuna's multivariate TPE (group off): when a trial starts, the
 * parameters every finished trial suggested with the same distribution (the intersection search
 * space, single-valued ones left out) are drawn jointly from multivariate Parzen estimators; the
 * trial's suggestions of those parameters take the joint draw, any other is sampled on its own.
 */
import { ParamError } from '../../../core/errors.js';
import { checkOptions } from '../../../core/validate.js';
import type { Rng } from '../../../core/prng.js';
import { isSingle, sameDistribution, toExternal, toInternal } from '../distributions.js';
import type { Distribution, FrozenTrial, ParamValue, Sampler, StudyView } from '../types.js';
import { MultivariateParzenEstimator } from './multivariate-parzen.js';
import { defaultGamma, defaultWeights, ParzenEstimator, type ParzenOptions } from './parzen.js';
import { sampleUniform } from './random.js';
import { samplerRng, samplerSeed, trialRng } from './seed.js';

export interface TPESamplerOptions {
  /** Finished trials sampled at random before TPE starts (an integer >= 0). Default: 10. */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per parameter (an integer >= 1). Default: 24. */
  nEiCandidates?: number;
  /** Weight of the prior kernel (a number > 0). Default: 1. */
  priorWeight?: number;
  /** Floor the kernel widths at range / min(100, kernels + 1). Default: true. */
  considerMagicClip?: boolean;
  /** Let the outermost kernels widen to the range bounds. Default: false. */
  considerEndpoints?: boolean;
  /** How many of n finished trials count as good. Default: min(ceil(0.1·n), 25). */
  gamma?: (n: number) => number;
  /** Weights of the observations, oldest first. Default: ones for n < 25, else a ramp from 1/n then 25 ones. */
  weights?: (n: number) => number[];
  /** Seed of kiln's Rng: same seed, same parameters. Default: a random seed. */
  seed?: number;
  /** Sample the parameters all finished trials share jointly (Optuna's multivariate TPE). Default: false. */
  multivariate?: boolean;
}

interface Score {
  /** Lower is better: −∞ for complete trials, −(last step) for pruned ones. */
  step: number;
  value: number;
}

/** Optuna's ranking of finished trials (signs make lower better). */
function scoreOf(t: FrozenTrial, sign: number): Score | null {
  if (t.state === 'COMPLETE') return t.value === null ? null : { step: -Infinity, value: sign * t.value };
  const steps = Object.keys(t.intermediateValues).map(Number);
  if (steps.length === 0) return { step: 1, value: 0 };
  const last = Math.max(...steps);
  const v = t.intermediateValues[last];
  return Number.isNaN(v) ? { step: -last, value: Infinity } : { step: -last, value: sign * v };
}

function checkInt(owner: string, name: string, v: number, min: number): number {
  if (!(Number.isInteger(v) && v >= min)) throw new ParamError(`${owner}: ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** The finished trials' observations of `names` split into the good (below) and the rest (above), as Optuna's _split_observation_pairs. */
export function splitObservations(
  study: StudyView,
  names: readonly string[],
  gamma: (n: number) => number,
): { n: number; below: Record<string, number[]>; above: Record<string, number[]> } {
  const sign = study.direction === 'minimize' ? 1 : -1;
  const scores: Score[] = [];
  const rows: FrozenTrial[] = [];
  for (const t of study.getTrials(['COMPLETE', 'PRUNED'])) {
    const s = scoreOf(t, sign);
    if (!s) continue;
    scores.push(s);
    rows.push(t);
  }
  const n = scores.length;
  const nBelow = Math.min(Math.max(gamma(n), 0), n);
  const ranked = Array.from(scores.keys()).sort((i, j) => scores[i].step - scores[j].step || scores[i].value - scores[j].value || i - j);
  const isBelow = new Uint8Array(n);
  for (let r = 0; r < nBelow; r++) isBelow[ranked[r]] = 1;
  const below: Record<string, number[]> = {},
    above: Record<string, number[]> = {};
  for (const name of names) {
    below[name] = [];
    above[name] = [];
  }
  // A trial without the first parameter is left out of every one (Optuna masks on the first).
  for (let i = 0; i < n; i++) {
    const t = rows[i];
    if (!(names[0] in t.params)) continue;
    for (const name of names) (isBelow[i] ? below : above)[name].push(toInternal(t.distributions[name], t.params[name]));
  }
  return { n, below, above };
}

/** The parameters every finished (complete or pruned) trial suggested with one same distribution, single values left out, by name. */
export function intersectionSpace(study: StudyView): Record<string, Distribution> {
  let space: Record<string, Distribution> | null = null;
  for (const t of study.getTrials(['COMPLETE', 'PRUNED'])) {
    if (space === null) {
      space = { ...t.distributions };
      continue;
    }
    for (const name of Object.keys(space)) {
      const d = t.distributions[name];
      if (!d || !sameDistribution(d, space[name])) delete space[name];
    }
  }
  const out: Record<string, Distribution> = {};
  for (const name of Object.keys(space ?? {}).sort())
    if (!isSingle((space as Record<string, Distribution>)[name])) out[name] = (space as Record<string, Distribution>)[name];
  return out;
}

export class TPESampler implements Sampler {
  private readonly rng: Rng;
  private readonly startupSeed: number;
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly multivariate: boolean;
  private readonly gamma: (n: number) => number;
  private readonly parzen: ParzenOptions;
  /** Per running trial, its joint draw and the distributions it was drawn from (multivariate). */
  private readonly relative = new Map<number, { space: Record<string, Distribution>; params: Record<string, ParamValue> }>();

  constructor(opts: TPESamplerOptions = {}) {
    checkOptions(
      opts,
      ['nStartupTrials', 'nEiCandidates', 'priorWeight', 'considerMagicClip', 'considerEndpoints', 'gamma', 'weights', 'seed', 'multivariate'],
      'TPESampler',
    );
    this.nStartupTrials = checkInt('TPESampler', 'nStartupTrials', opts.nStartupTrials ?? 10, 0);
    this.nEiCandidates = checkInt('TPESampler', 'nEiCandidates', opts.nEiCandidates ?? 24, 1);
    const priorWeight = opts.priorWeight ?? 1;
    if (!(Number.isFinite(priorWeight) && priorWeight > 0)) throw new ParamError(`TPESampler: priorWeight must be a number > 0, got ${priorWeight}`);
    if (opts.multivariate !== undefined && typeof opts.multivariate !== 'boolean')
      throw new ParamError(`TPESampler: multivariate must be a boolean, got ${String(opts.multivariate)}`);
    this.multivariate = opts.multivariate ?? false;
    this.gamma = opts.gamma ?? defaultGamma;
    this.parzen = {
      priorWeight,
      considerMagicClip: opts.considerMagicClip ?? true,
      considerEndpoints: opts.considerEndpoints ?? false,
      weights: opts.weights ?? defaultWeights,
    };
    this.rng = samplerRng('TPESampler', opts.seed);
    // The startup draws are the RandomSampler's (per trial and parameter, so the same whatever nJobs).
    this.startupSeed = samplerSeed('TPESampler', opts.seed === undefined ? undefined : opts.seed + 1);
  }

  /** The multivariate estimators l (below) and g (above) of `space`, or null before nStartupTrials trials have finished. */
  relativeEstimators(study: StudyView, space: Record<string, Distribution>): { below: MultivariateParzenEstimator; above: MultivariateParzenEstimator } | null {
    const names = Object.keys(space);
    const { n, below, above } = splitObservations(study, names, this.gamma);
    if (n < this.nStartupTrials) return null;
    return { below: new MultivariateParzenEstimator(below, space, this.parzen), above: new MultivariateParzenEstimator(above, space, this.parzen) };
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    if (!this.multivariate) return;
    const space = intersectionSpace(study);
    const names = Object.keys(space);
    if (names.length === 0) return;
    const est = this.relativeEstimators(study, space);
    if (!est) return;
    const candidates = est.below.sample(this.rng, this.nEiCandidates);
    const ll = est.below.logPdf(candidates),
      lg = est.above.logPdf(candidates);
    let best = 0;
    for (let i = 1; i < ll.length; i++) if (ll[i] - lg[i] > ll[best] - lg[best]) best = i;
    const params: Record<string, ParamValue> = {};
    for (const name of names) params[name] = toExternal(space[name], candidates[name][best]);
    this.relative.set(trial.number, { space, params });
  }

  afterTrial(_study: StudyView, trial: FrozenTrial): void {
    this.relative.delete(trial.number);
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const rel = this.relative.get(trial.number);
    if (rel && name in rel.params && sameDistribution(rel.space[name], distribution)) return rel.params[name];
    const { n, below, above } = splitObservations(study, [name], this.gamma);
    if (n < this.nStartupTrials) return sampleUniform(trialRng(this.startupSeed, trial.number, name), distribution);
    const l = new ParzenEstimator(below[name], distribution, this.parzen);
    const g = new ParzenEstimator(above[name], distribution, this.parzen);
    const candidates = l.sample(this.rng, this.nEiCandidates);
    const ll = l.logPdf(candidates),
      lg = g.logPdf(candidates);
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if (ll[i] - lg[i] > ll[best] - lg[best]) best = i;
    return toExternal(distribution, candidates[best]);
  }
}
