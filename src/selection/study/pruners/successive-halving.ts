/**
 * Optuna 3.1's SuccessiveHalvingPruner (asynchronous successive halving): rung r is reached at
 * step minResource · reductionFactor^(minEarlyStoppingRate + r); a trial reaching a rung records its
 * value there (its `completedRung<r>` attribute) and goes on only if that value is among the best
 * 1/reductionFactor of all values recorded at the rung so far. `minResource: 'auto'` is
 * max(1, ⌊last step of the first completed trial / 100⌋), fixed once estimated.
 */
import { ParamError } from '../../../core/errors.js';
import { checkOptions } from '../../../core/validate.js';
import type { FrozenTrial, Pruner, StudyView } from '../types.js';
import { lastStep } from './percentile.js';

export interface SuccessiveHalvingPrunerOptions {
  /** Steps before the first rung (an integer >= 1), or 'auto'. Default: 'auto'. */
  minResource?: number | 'auto';
  /** Each rung keeps 1 / reductionFactor of the trials (an integer >= 2). Default: 4. */
  reductionFactor?: number;
  /** Skips the first rungs (an integer >= 0). Default: 0. */
  minEarlyStoppingRate?: number;
  /** Trials that must have reached a rung before it prunes (an integer >= 0; not with 'auto'). Default: 0. */
  bootstrapCount?: number;
}

const rungKey = (r: number) => `completedRung${r}`;

export class SuccessiveHalvingPruner implements Pruner {
  private minResource: number | null;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;

  constructor(opts: SuccessiveHalvingPrunerOptions = {}) {
    const o = 'SuccessiveHalvingPruner';
    checkOptions(opts, ['minResource', 'reductionFactor', 'minEarlyStoppingRate', 'bootstrapCount'], o);
    const mr = opts.minResource ?? 'auto';
    if (mr !== 'auto' && !(Number.isInteger(mr) && mr >= 1)) throw new ParamError(`${o}: minResource must be 'auto' or an integer >= 1, got ${String(mr)}`);
    const rf = opts.reductionFactor ?? 4;
    if (!(Number.isInteger(rf) && rf >= 2)) throw new ParamError(`${o}: reductionFactor must be an integer >= 2, got ${rf}`);
    const es = opts.minEarlyStoppingRate ?? 0;
    if (!(Number.isInteger(es) && es >= 0)) throw new ParamError(`${o}: minEarlyStoppingRate must be an integer >= 0, got ${es}`);
    const bc = opts.bootstrapCount ?? 0;
    if (!(Number.isInteger(bc) && bc >= 0)) throw new ParamError(`${o}: bootstrapCount must be an integer >= 0, got ${bc}`);
    if (bc > 0 && mr === 'auto') throw new ParamError(`${o}: bootstrapCount > 0 needs an explicit minResource, not 'auto'`);
    this.minResource = mr === 'auto' ? null : mr;
    this.reductionFactor = rf;
    this.minEarlyStoppingRate = es;
    this.bootstrapCount = bc;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const step = lastStep(trial);
    if (step === null) return false;
    let rung = 0;
    while (rungKey(rung) in trial.systemAttrs) rung++;
    const value = trial.intermediateValues[step];
    for (;;) {
      if (this.minResource === null) {
        const steps = study
          .getTrials(['COMPLETE'])
          .map(lastStep)
          .filter((s): s is number => s !== null);
        if (steps.length === 0) return false;
        this.minResource = Math.max(Math.floor(Math.max(...steps) / 100), 1);
      }
      const promotion = this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + rung);
      if (step < promotion) return false;
      if (Number.isNaN(value)) return true;
      const key = rungKey(rung);
      // Competing values are read before this trial records its own, as Optuna does.
      const competing = study
        .getTrials()
        .filter((t) => t.number !== trial.number && key in t.systemAttrs)
        .map((t) => t.systemAttrs[key] as number);
      study.setTrialSystemAttr(trial.number, key, value);
      competing.push(value);
      if (competing.length <= this.bootstrapCount) return true;
      if (!promotable(value, competing, this.reductionFactor, study.direction === 'maximize')) return true;
      rung++;
    }
  }
}

function promotable(value: number, competing: number[], rf: number, maximize: boolean): boolean {
  let idx = Math.floor(competing.length / rf) - 1;
  if (idx === -1) idx = 0;
  const sorted = [...competing].sort((a, b) => a - b);
  return maximize ? value >= sorted[sorted.length - 1 - idx] : value <= sorted[idx];
}
