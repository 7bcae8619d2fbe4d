/**
 * Optuna 3.1's PercentilePruner, and MedianPruner (its 50th percentile): after `nStartupTrials`
 * completed trials and `nWarmupSteps` steps, at the first report of each `intervalSteps` window, a
 * trial is pruned when its best reported value so far is worse than the given percentile of the
 * completed trials' values at the same step (numpy's linear interpolation, NaNs ignored).
 */
import { ParamError } from '../../../core/errors.js';
import { checkOptions } from '../../../core/validate.js';
import type { FrozenTrial, Pruner, StudyView } from '../types.js';

export interface PercentilePrunerOptions {
  /** Completed trials before pruning starts (an integer >= 0). Default: 5. */
  nStartupTrials?: number;
  /** Steps of a trial before it can be pruned (an integer >= 0). Default: 0. */
  nWarmupSteps?: number;
  /** Prune checks happen once every this many steps after the warm-up (an integer >= 1). Default: 1. */
  intervalSteps?: number;
  /** Completed trials that must have reported the step to compare with (an integer >= 1). Default: 1. */
  nMinTrials?: number;
}

function intAtLeast(owner: string, name: string, v: number, min: number): number {
  if (!(Number.isInteger(v) && v >= min)) throw new ParamError(`${owner}: ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** numpy's nanpercentile (linear interpolation). */
export function nanPercentile(values: readonly number[], q: number): number {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const pos = (q / 100) * (xs.length - 1);
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo);
}

/** The largest step a trial reported, or null. */
export function lastStep(t: FrozenTrial): number | null {
  let last: number | null = null;
  for (const k of Object.keys(t.intermediateValues)) {
    const s = Number(k);
    if (last === null || s > last) last = s;
  }
  return last;
}

function isFirstInIntervalStep(step: number, steps: number[], warmup: number, interval: number): boolean {
  const nearestLower = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLower;
}

export class PercentilePruner implements Pruner {
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(percentile: number, opts: PercentilePrunerOptions = {}, owner = 'PercentilePruner') {
    if (!(typeof percentile === 'number' && percentile >= 0 && percentile <= 100))
      throw new ParamError(`${owner}: percentile must be in [0, 100], got ${percentile}`);
    checkOptions(opts, ['nStartupTrials', 'nWarmupSteps', 'intervalSteps', 'nMinTrials'], owner);
    this.percentile = percentile;
    this.nStartupTrials = intAtLeast(owner, 'nStartupTrials', opts.nStartupTrials ?? 5, 0);
    this.nWarmupSteps = intAtLeast(owner, 'nWarmupSteps', opts.nWarmupSteps ?? 0, 0);
    this.intervalSteps = intAtLeast(owner, 'intervalSteps', opts.intervalSteps ?? 1, 1);
    this.nMinTrials = intAtLeast(owner, 'nMinTrials', opts.nMinTrials ?? 1, 1);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const completed = study.getTrials(['COMPLETE']);
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    const step = lastStep(trial);
    if (step === null || step < this.nWarmupSteps) return false;
    const steps = Object.keys(trial.intermediateValues).map(Number);
    if (!isFirstInIntervalStep(step, steps, this.nWarmupSteps, this.intervalSteps)) return false;
    const maximize = study.direction === 'maximize';
    const mine = Object.values(trial.intermediateValues).filter((v) => !Number.isNaN(v));
    if (mine.length === 0) return true;
    const best = maximize ? Math.max(...mine) : Math.min(...mine);
    const atStep = completed.filter((t) => step in t.intermediateValues).map((t) => t.intermediateValues[step]);
    if (atStep.length < this.nMinTrials) return false;
    const p = nanPercentile(atStep, maximize ? 100 - this.percentile : this.percentile);
    if (Number.isNaN(p)) return false;
    return maximize ? best < p : best > p;
  }
}

/** Prunes a trial whose best value so far is worse than the median of completed trials at the same step. */
export class MedianPruner extends PercentilePruner {
  constructor(opts: PercentilePrunerOptions = {}) {
    super(50, opts, 'MedianPruner');
  }
}
