/**
 * Epoch-level training control shared by kiln's iterative models: callbacks see
 * each epoch's logs and may stop training, change the learning rate, or keep and
 * restore the best weights.
 */
import { ParamError } from '../core/errors.js';

export interface EpochLogs {
  epoch: number;
  /** Epochs this run is set to do at most. */
  epochs: number;
  loss: number;
  /** Validation loss, when the model holds data out. */
  valLoss?: number;
  lr: number;
}

/** What a callback may do to the training run. */
export interface TrainingControl {
  /** The learning rate of the next epoch. */
  lr: number;
  /** Set to end training after this epoch. */
  stop: boolean;
  /** Copy of the current weights (to restore later). */
  snapshot(): Float32Array;
  restore(weights: Float32Array): void;
  /** Writes a checkpoint the model can resume from (fit's resumeFrom). */
  saveCheckpoint(path: string): Promise<void>;
}

export interface Callback {
  onEpochEnd?(logs: EpochLogs, control: TrainingControl): void | Promise<void>;
  onTrainEnd?(control: TrainingControl): void;
}

type Monitor = 'loss' | 'valLoss';

function monitored(logs: EpochLogs, monitor: Monitor, owner: string): number {
  const v = logs[monitor];
  if (v === undefined) throw new ParamError(`${owner}: monitors '${monitor}', which this training run does not report`);
  return v;
}

/** Stops when the monitored loss has not improved by minDelta for `patience` epochs. */
export class EarlyStopping implements Callback {
  private best = Infinity;
  private wait = 0;
  private bestWeights: Float32Array | undefined;
  /** Epoch at which training was stopped (undefined: it was not). */
  stoppedEpoch: number | undefined;

  constructor(private readonly opts: { monitor?: Monitor; patience?: number; minDelta?: number; restoreBestWeights?: boolean } = {}) {
    if (opts.patience !== undefined && !(Number.isInteger(opts.patience) && opts.patience >= 0)) {
      throw new ParamError('EarlyStopping: patience must be an integer >= 0');
    }
  }

  onEpochEnd(logs: EpochLogs, control: TrainingControl): void {
    const v = monitored(logs, this.opts.monitor ?? 'loss', 'EarlyStopping');
    if (v < this.best - (this.opts.minDelta ?? 0)) {
      this.best = v;
      this.wait = 0;
      if (this.opts.restoreBestWeights ?? true) this.bestWeights = control.snapshot();
      return;
    }
    if (++this.wait > (this.opts.patience ?? 10)) {
      control.stop = true;
      this.stoppedEpoch = logs.epoch;
    }
  }

  /** Restores the best weights when this callback stopped the run (an AbortSignal instead rejects the fit and keeps nothing). */
  onTrainEnd(control: TrainingControl): void {
    if (this.stoppedEpoch !== undefined && this.bestWeights) control.restore(this.bestWeights);
  }
}

/** Multiplies the learning rate by `factor` when the monitored loss stalls for `patience` epochs. */
export class ReduceLROnPlateau implements Callback {
  private best = Infinity;
  private wait = 0;

  constructor(private readonly opts: { monitor?: Monitor; factor?: number; patience?: number; minDelta?: number; minLr?: number } = {}) {
    const f = opts.factor ?? 0.1;
    if (!(f > 0 && f < 1)) throw new ParamError('ReduceLROnPlateau: factor must be in (0, 1)');
  }

  onEpochEnd(logs: EpochLogs, control: TrainingControl): void {
    const v = monitored(logs, this.opts.monitor ?? 'loss', 'ReduceLROnPlateau');
    if (v < this.best - (this.opts.minDelta ?? 1e-4)) {
      this.best = v;
      this.wait = 0;
    } else if (++this.wait > (this.opts.patience ?? 10)) {
      control.lr = Math.max(this.opts.minLr ?? 0, control.lr * (this.opts.factor ?? 0.1));
      this.wait = 0;
    }
  }
}

/** lr = initial · gamma^floor(epochs done / stepSize). */
export class StepLR implements Callback {
  private initial: number | undefined;
  constructor(private readonly opts: { stepSize: number; gamma?: number }) {
    if (!(Number.isInteger(opts.stepSize) && opts.stepSize >= 1)) throw new ParamError('StepLR: stepSize must be an integer >= 1');
  }
  onEpochEnd(logs: EpochLogs, control: TrainingControl): void {
    this.initial ??= logs.lr;
    control.lr = this.initial * (this.opts.gamma ?? 0.1) ** Math.floor((logs.epoch + 1) / this.opts.stepSize);
  }
}

/** Cosine annealing from the initial rate to etaMin over tMax epochs. */
export class CosineAnnealingLR implements Callback {
  private initial: number | undefined;
  constructor(private readonly opts: { tMax: number; etaMin?: number }) {
    if (!(Number.isInteger(opts.tMax) && opts.tMax >= 1)) throw new ParamError('CosineAnnealingLR: tMax must be an integer >= 1');
  }
  onEpochEnd(logs: EpochLogs, control: TrainingControl): void {
    this.initial ??= logs.lr;
    const etaMin = this.opts.etaMin ?? 0,
      t = Math.min(logs.epoch + 1, this.opts.tMax);
    control.lr = etaMin + ((this.initial - etaMin) * (1 + Math.cos((Math.PI * t) / this.opts.tMax))) / 2;
  }
}

/** Saves a checkpoint after each epoch, or only when the monitored loss improves. */
export class ModelCheckpoint implements Callback {
  private best = Infinity;
  constructor(private readonly opts: { path: string; saveBestOnly?: boolean; monitor?: Monitor }) {
    if (typeof opts?.path !== 'string' || !opts.path) throw new ParamError('ModelCheckpoint: path must be a file path');
  }
  async onEpochEnd(logs: EpochLogs, control: TrainingControl): Promise<void> {
    if (this.opts.saveBestOnly) {
      const v = monitored(logs, this.opts.monitor ?? 'loss', 'ModelCheckpoint');
      if (!(v < this.best)) return;
      this.best = v;
    }
    await control.saveCheckpoint(this.opts.path);
  }
}

/** Prints one line per epoch to a terminal (nothing when the stream is not a TTY). */
export class ProgressReporter implements Callback {
  constructor(private readonly stream: { isTTY?: boolean; write(s: string): unknown } = process.stderr) {}
  onEpochEnd(logs: EpochLogs): void {
    if (!this.stream.isTTY) return;
    const val = logs.valLoss === undefined ? '' : ` valLoss ${logs.valLoss.toFixed(5)}`;
    this.stream.write(`epoch ${logs.epoch + 1}/${logs.epochs}  loss ${logs.loss.toFixed(5)}${val}  lr ${logs.lr.toPrecision(3)}\n`);
  }
}
