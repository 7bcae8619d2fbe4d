/**
 * Optuna's RandomSampler: each parameter uniform over its range, on a log scale for `log`
 * distributions; stepped and integer ranges are widened by half a step on each side, then
 * rounded to the grid and clipped, so every grid value has the same chance. Each draw comes from
 * a generator of (seed, trial number, parameter name), so a seeded study gets the same
 * parameters per trial whether its trials run one at a time or several at once (nJobs).
 */
import type { Rng } from '../../../core/prng.js';
import { checkOptions } from '../../../core/validate.js';
import type { Distribution, FrozenTrial, ParamValue, Sampler, StudyView } from '../types.js';
import { samplerSeed, trialRng } from './seed.js';

export interface RandomSamplerOptions {
  /** Seed of kiln's Rng: same seed, same parameters. Default: a random seed. */
  seed?: number;
}

/** One value of `d` drawn uniformly with `rng` (the external form). */
export function sampleUniform(rng: Rng, d: Distribution): ParamValue {
  if (d.type === 'categorical') return d.choices[rng.int(d.choices.length)];
  if (d.low === d.high) return d.low;
  const step = d.type === 'int' ? d.step : d.step;
  const half = step === null ? 0 : step / 2;
  if (d.log) {
    const lo = Math.log(d.low - half),
      hi = Math.log(d.high + half);
    const v = Math.exp(lo + rng.random() * (hi - lo));
    return d.type === 'int' ? clip(Math.round(v), d.low, d.high) : clip(v, d.low, d.high);
  }
  const lo = d.low - half,
    hi = d.high + half;
  const v = lo + rng.random() * (hi - lo);
  return step === null ? v : onGrid(v, d.low, d.high, step);
}

export function clip(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}

/** The grid value low + k·step nearest v, within [low, high]. */
export function onGrid(v: number, low: number, high: number, step: number): number {
  const k = Math.round((v - low) / step);
  return clip(Number.parseFloat((low + k * step).toPrecision(15)), low, high);
}

export class RandomSampler implements Sampler {
  private readonly seed: number;

  constructor(opts: RandomSamplerOptions = {}) {
    checkOptions(opts, ['seed'], 'RandomSampler');
    this.seed = samplerSeed('RandomSampler', opts.seed);
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return sampleUniform(trialRng(this.seed, trial.number, name), distribution);
  }
}
