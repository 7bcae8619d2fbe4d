/**
 * Pruning inside kiln's iterative fits: the callback reports the monitored loss of each boosting
 * round or epoch to the trial and throws TrialPruned when the pruner says so, which ends the fit
 * (the estimator keeps its previous state, as for any failed fit) and, through the objective,
 * marks the trial PRUNED.
 *
 * - gradient boosting: `fit(X, y, { evalSet, onProgress: cb.onProgress })` (rounds, validLoss)
 * - SGD: `fit(X, y, { onProgress: cb.onProgress })` (epochs, training loss)
 * - MLP: `new MLPClassifier({ callbacks: [cb] })` (epochs, valLoss when it holds data out)
 */
import { ParamError } from '../../core/errors.js';
import { checkOptions } from '../../core/validate.js';
import type { Trial } from './trial.js';
import { TrialPruned } from './trial-pruned.js';

/** What the fits report: boosting rounds (round, trainLoss, validLoss) or epochs (epoch, loss, valLoss). */
export interface ProgressLogs {
  round?: number;
  epoch?: number;
  trainLoss?: number;
  validLoss?: number;
  loss?: number;
  valLoss?: number;
}

export interface PruningCallbackOptions {
  /**
   * The value reported at each step: a field of the logs, or a function of them. The study's
   * direction must suit it (losses: 'minimize'). Default: the validation loss when the fit has
   * one, else the training loss.
   */
  monitor?: 'validLoss' | 'trainLoss' | 'loss' | 'valLoss' | ((logs: ProgressLogs) => number);
}

export interface PruningCallback {
  /** For gradient boosting's and SGD's `fit(…, { onProgress })`. */
  onProgress: (logs: ProgressLogs) => void;
  /** For MLP's `callbacks` list. */
  onEpochEnd: (logs: ProgressLogs) => void;
}

export function pruningCallback(trial: Trial, opts: PruningCallbackOptions = {}): PruningCallback {
  if (!trial || typeof trial.report !== 'function' || typeof trial.shouldPrune !== 'function') {
    throw new ParamError('pruningCallback: trial must be the Trial the objective received');
  }
  checkOptions(opts, ['monitor'], 'pruningCallback');
  const monitor = opts.monitor;
  if (monitor !== undefined && typeof monitor !== 'function' && !['validLoss', 'trainLoss', 'loss', 'valLoss'].includes(monitor)) {
    throw new ParamError(`pruningCallback: monitor must be 'validLoss', 'trainLoss', 'loss', 'valLoss' or a function, got ${String(monitor)}`);
  }
  const step = (logs: ProgressLogs): number => logs.round ?? logs.epoch ?? 0;
  const monitored = (logs: ProgressLogs): number => {
    if (typeof monitor === 'function') return monitor(logs);
    if (monitor !== undefined) {
      const v = logs[monitor];
      if (v === undefined) throw new ParamError(`pruningCallback: monitors '${monitor}', which this fit does not report`);
      return v;
    }
    return logs.validLoss ?? logs.valLoss ?? logs.trainLoss ?? (logs.loss as number);
  };
  const onProgress = (logs: ProgressLogs): void => {
    const s = step(logs);
    trial.report(monitored(logs), s);
    if (trial.shouldPrune()) throw new TrialPruned(`Trial ${trial.number} was pruned at step ${s}`);
  };
  return { onProgress, onEpochEnd: onProgress };
}
