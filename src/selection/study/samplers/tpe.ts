/**
 * Optuna 3.1's TPESampler with its defaults (independent sampling, multivariate off): after
 * `nStartupTrials` finished trials (random sampling before), the finished trials are split into
 * the best gamma(n) = min(⌈0.1·n⌉, 25) and the rest (a pruned trial ranks by the last step it
 * reached, then by its last value); a Parzen estimator l(x) is fitted to the good ones and g(x)
 * to the rest, `nEiCandidates` values are drawn from l, and the one maximising l(x)/g(x) — the
 * expected improvement — is returned.
 */
import { ParamError } from '../../../core/errors.js';
import { checkOptions } from '../../../core/validate.js';
import type { Rng } from '../../../core/prng.js';
import { toExternal, toInternal } from '../distributions.js';
import type { Distribution, FrozenTrial, ParamValue, Sampler, StudyView } from '../types.js';
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

export class TPESampler implements Sampler {
  private readonly rng: Rng;
  private readonly startupSeed: number;
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly parzen: ParzenOptions;

  constructor(opts: TPESamplerOptions = {}) {
    checkOptions(opts, ['nStartupTrials', 'nEiCandidates', 'priorWeight', 'considerMagicClip', 'considerEndpoints', 'gamma', 'weights', 'seed'], 'TPESampler');
    this.nStartupTrials = checkInt('TPESampler', 'nStartupTrials', opts.nStartupTrials ?? 10, 0);
    this.nEiCandidates = checkInt('TPESampler', 'nEiCandidates', opts.nEiCandidates ?? 24, 1);
    const priorWeight = opts.priorWeight ?? 1;
    if (!(Number.isFinite(priorWeight) && priorWeight > 0)) throw new ParamError(`TPESampler: priorWeight must be a number > 0, got ${priorWeight}`);
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

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const sign = study.direction === 'minimize' ? 1 : -1;
    const scores: Score[] = [];
    const values: (number | null)[] = [];
    for (const t of study.getTrials(['COMPLETE', 'PRUNED'])) {
      const s = scoreOf(t, sign);
      if (!s) continue;
      scores.push(s);
      values.push(name in t.params ? toInternal(t.distributions[name], t.params[name]) : null);
    }
    const n = scores.length;
    if (n < this.nStartupTrials) return sampleUniform(trialRng(this.startupSeed, trial.number, name), distribution);
    const nBelow = Math.min(Math.max(this.gamma(n), 0), n);
    const ranked = Array.from(scores.keys()).sort((i, j) => scores[i].step - scores[j].step || scores[i].value - scores[j].value || i - j);
    const isBelow = new Uint8Array(n);
    for (let r = 0; r < nBelow; r++) isBelow[ranked[r]] = 1;
    const below: number[] = [],
      above: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null) continue;
      (isBelow[i] ? below : above).push(v);
    }
    const l = new ParzenEstimator(below, distribution, this.parzen);
    const g = new ParzenEstimator(above, distribution, this.parzen);
    const candidates = l.sample(this.rng, this.nEiCandidates);
    const ll = l.logPdf(candidates),
      lg = g.logPdf(candidates);
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if (ll[i] - lg[i] > ll[best] - lg[best]) best = i;
    return toExternal(distribution, candidates[best]);
  }
}
