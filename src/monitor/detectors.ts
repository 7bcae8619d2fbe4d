/**
 * Streaming concept-drift detectors, as the river library defines them (parameters and defaults
 * from river.drift): DDM and EDDM over a stream of prediction errors (1 = wrong, 0 = right),
 * Page-Hinkley and ADWIN over any numeric stream (e.g. the loss per prediction). Each `update(x)`
 * returns the detector's state; after a drift it starts afresh on the next value, as river does.
 */
import { ParamError } from '../core/errors.js';

export interface DriftDetector {
  update(x: number): { drift: boolean; warning: boolean };
  readonly driftDetected: boolean;
  readonly warningDetected: boolean;
  reset(): void;
}

function checkFinite(x: number, who: string): void {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new ParamError(`${who}.update: x must be a finite number, got ${String(x)}`);
}
function checkBinary(x: number, who: string): void {
  if (x !== 0 && x !== 1) throw new ParamError(`${who}.update: x must be 0 (right) or 1 (an error), got ${String(x)}`);
}
function positive(v: number, name: string, who: string): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ParamError(`${who}: ${name} must be a finite number > 0, got ${String(v)}`);
  return v;
}

/** Drift Detection Method (Gama et al., 2004): the error rate p and its deviation s against their best (p + s) so far. */
export class DDM implements DriftDetector {
  private n = 0;
  private p = 0;
  private pMin = Infinity;
  private sMin = Infinity;
  driftDetected = false;
  warningDetected = false;
  readonly warmStart: number;
  readonly warningThreshold: number;
  readonly driftThreshold: number;

  constructor(opts: { warmStart?: number; warningThreshold?: number; driftThreshold?: number } = {}) {
    this.warmStart = positive(opts.warmStart ?? 30, 'warmStart', 'DDM');
    this.warningThreshold = positive(opts.warningThreshold ?? 2, 'warningThreshold', 'DDM');
    this.driftThreshold = positive(opts.driftThreshold ?? 3, 'driftThreshold', 'DDM');
    if (this.driftThreshold < this.warningThreshold) throw new ParamError('DDM: driftThreshold must be >= warningThreshold');
  }

  reset(): void {
    this.n = 0;
    this.p = 0;
    this.pMin = Infinity;
    this.sMin = Infinity;
    this.driftDetected = false;
    this.warningDetected = false;
  }

  update(x: number): { drift: boolean; warning: boolean } {
    checkBinary(x, 'DDM');
    if (this.driftDetected) this.reset();
    this.n++;
    this.p += (x - this.p) / this.n;
    const s = Math.sqrt((this.p * (1 - this.p)) / this.n);
    this.warningDetected = false;
    if (this.n > this.warmStart) {
      if (this.p + s <= this.pMin + this.sMin) {
        this.pMin = this.p;
        this.sMin = s;
      }
      if (this.p + s > this.pMin + this.driftThreshold * this.sMin) this.driftDetected = true;
      else if (this.p + s > this.pMin + this.warningThreshold * this.sMin) this.warningDetected = true;
    }
    return { drift: this.driftDetected, warning: this.warningDetected };
  }
}

/** Early Drift Detection Method (Baena-García et al., 2006): the distance between errors, its mean m and deviation s against the largest m + 2s. */
export class EDDM implements DriftDetector {
  private n = 0;
  private errors = 0;
  private lastError = 0;
  private mean = 0;
  private m2 = 0;
  private best = 0;
  driftDetected = false;
  warningDetected = false;
  readonly warmStart: number;
  readonly alpha: number;
  readonly beta: number;

  constructor(opts: { warmStart?: number; alpha?: number; beta?: number } = {}) {
    this.warmStart = positive(opts.warmStart ?? 30, 'warmStart', 'EDDM');
    this.alpha = positive(opts.alpha ?? 0.95, 'alpha', 'EDDM');
    this.beta = positive(opts.beta ?? 0.9, 'beta', 'EDDM');
    if (!(this.beta < this.alpha && this.alpha < 1)) throw new ParamError('EDDM: needs 0 < beta < alpha < 1 (drift below beta, a warning below alpha)');
  }

  reset(): void {
    this.n = this.errors = this.lastError = this.mean = this.m2 = this.best = 0;
    this.driftDetected = this.warningDetected = false;
  }

  update(x: number): { drift: boolean; warning: boolean } {
    checkBinary(x, 'EDDM');
    if (this.driftDetected) this.reset();
    this.n++;
    this.warningDetected = false;
    if (x === 1) {
      const d = this.n - this.lastError;
      this.lastError = this.n;
      this.errors++;
      // Welford's running mean and variance of the distances between errors
      const delta = d - this.mean;
      this.mean += delta / this.errors;
      this.m2 += delta * (d - this.mean);
      if (this.errors >= this.warmStart) {
        // sample deviation (ddof 1), as river's stats.Var; the best score is tracked from warm start on
        const score = this.mean + 2 * Math.sqrt(this.m2 / (this.errors - 1));
        if (score > this.best) this.best = score;
        else {
          const ratio = score / this.best;
          if (ratio < this.beta) this.driftDetected = true;
          else if (ratio < this.alpha) this.warningDetected = true;
        }
      }
    }
    return { drift: this.driftDetected, warning: this.warningDetected };
  }
}

/** Page-Hinkley test: cumulative deviations from the running mean against their extreme; 'up', 'down' or 'both' changes. */
export class PageHinkley implements DriftDetector {
  private n = 0;
  private mean = 0;
  private sumUp = 0;
  private sumDown = 0;
  private minUp = Infinity;
  private maxDown = -Infinity;
  driftDetected = false;
  readonly warningDetected = false;
  readonly minInstances: number;
  readonly delta: number;
  readonly threshold: number;
  readonly alpha: number;
  readonly mode: 'up' | 'down' | 'both';

  constructor(opts: { minInstances?: number; delta?: number; threshold?: number; alpha?: number; mode?: 'up' | 'down' | 'both' } = {}) {
    this.minInstances = positive(opts.minInstances ?? 30, 'minInstances', 'PageHinkley');
    this.delta = opts.delta ?? 0.005;
    if (!(this.delta >= 0)) throw new ParamError('PageHinkley: delta must be >= 0');
    this.threshold = positive(opts.threshold ?? 50, 'threshold', 'PageHinkley');
    this.alpha = positive(opts.alpha ?? 1 - 0.0001, 'alpha', 'PageHinkley');
    if (this.alpha > 1) throw new ParamError('PageHinkley: alpha (the forgetting factor) must be in (0, 1]');
    this.mode = opts.mode ?? 'both';
    if (!['up', 'down', 'both'].includes(this.mode)) throw new ParamError("PageHinkley: mode must be 'up', 'down' or 'both'");
  }

  reset(): void {
    this.n = this.mean = this.sumUp = this.sumDown = 0;
    this.minUp = Infinity;
    this.maxDown = -Infinity;
    this.driftDetected = false;
  }

  update(x: number): { drift: boolean; warning: boolean } {
    checkFinite(x, 'PageHinkley');
    if (this.driftDetected) this.reset();
    this.n++;
    this.mean += (x - this.mean) / this.n;
    const dev = x - this.mean;
    this.sumUp = this.alpha * this.sumUp + dev - this.delta;
    this.sumDown = this.alpha * this.sumDown + dev + this.delta;
    this.minUp = Math.min(this.minUp, this.sumUp);
    this.maxDown = Math.max(this.maxDown, this.sumDown);
    if (this.n >= this.minInstances) {
      const up = this.sumUp - this.minUp > this.threshold,
        down = this.maxDown - this.sumDown > this.threshold;
      this.driftDetected = this.mode === 'up' ? up : this.mode === 'down' ? down : up || down;
    }
    return { drift: this.driftDetected, warning: false };
  }
}

/**
 * ADWIN (Bifet & Gavaldà, 2007): a window kept as an exponential histogram of buckets; every
 * `clock` values, each split of the window into an older and a newer part is tested, and the older
 * part dropped while the two means differ by more than the Hoeffding-style bound for `delta`.
 */
export class ADWIN implements DriftDetector {
  /** rows[k]: buckets of 2^k values each, oldest first: [total, variance]. */
  private rows: { total: number; variance: number }[][] = [];
  private width = 0;
  private total = 0;
  private variance = 0;
  private ticks = 0;
  driftDetected = false;
  readonly warningDetected = false;
  readonly delta: number;
  readonly clock: number;
  readonly maxBuckets: number;
  readonly minWindowLength: number;
  readonly gracePeriod: number;

  constructor(opts: { delta?: number; clock?: number; maxBuckets?: number; minWindowLength?: number; gracePeriod?: number } = {}) {
    this.delta = positive(opts.delta ?? 0.002, 'delta', 'ADWIN');
    if (this.delta >= 1) throw new ParamError('ADWIN: delta must be in (0, 1)');
    this.clock = positive(opts.clock ?? 32, 'clock', 'ADWIN');
    this.maxBuckets = positive(opts.maxBuckets ?? 5, 'maxBuckets', 'ADWIN');
    this.minWindowLength = positive(opts.minWindowLength ?? 5, 'minWindowLength', 'ADWIN');
    this.gracePeriod = positive(opts.gracePeriod ?? 10, 'gracePeriod', 'ADWIN');
  }

  /** Values in the window now. */
  get windowWidth(): number {
    return this.width;
  }
  /** The window's mean. */
  get estimation(): number {
    return this.width ? this.total / this.width : 0;
  }

  reset(): void {
    this.rows = [];
    this.width = this.total = this.variance = this.ticks = 0;
    this.driftDetected = false;
  }

  update(x: number): { drift: boolean; warning: boolean } {
    checkFinite(x, 'ADWIN');
    this.driftDetected = false;
    this.insert(x);
    this.ticks++;
    if (this.ticks % this.clock === 0 && this.width > this.gracePeriod) this.driftDetected = this.shrink();
    return { drift: this.driftDetected, warning: false };
  }

  private insert(x: number): void {
    if (this.width > 0) {
      const mean = this.total / this.width;
      this.variance += (this.width * (x - mean) ** 2) / (this.width + 1);
    }
    this.width++;
    this.total += x;
    (this.rows[0] ??= []).push({ total: x, variance: 0 });
    // compress: more than maxBuckets buckets of one size merge their two oldest into the next size
    for (let k = 0; k < this.rows.length; k++) {
      const row = this.rows[k];
      if (row.length <= this.maxBuckets) break;
      const [a, b] = row.splice(0, 2);
      const n = 2 ** k;
      const merged = { total: a.total + b.total, variance: a.variance + b.variance + ((n * n) / (2 * n)) * (a.total / n - b.total / n) ** 2 };
      (this.rows[k + 1] ??= []).push(merged);
    }
  }

  /** Drops the oldest buckets while some split of the window shows a change; true when any went. */
  private shrink(): boolean {
    let changed = false;
    for (let again = true; again && this.width > this.minWindowLength; ) {
      again = false;
      // walk from the oldest bucket: n0/total0 the older part, the rest the newer
      let n0 = 0,
        t0 = 0;
      const buckets: { k: number; b: { total: number; variance: number } }[] = [];
      for (let k = this.rows.length - 1; k >= 0; k--) for (const b of this.rows[k]) buckets.push({ k, b });
      for (let i = 0; i < buckets.length - 1; i++) {
        n0 += 2 ** buckets[i].k;
        t0 += buckets[i].b.total;
        const n1 = this.width - n0,
          t1 = this.total - t0;
        if (n0 < this.minWindowLength || n1 < this.minWindowLength) continue;
        const diff = Math.abs(t0 / n0 - t1 / n1);
        const v = this.variance / this.width;
        const m = 1 / (n0 - this.minWindowLength + 1) + 1 / (n1 - this.minWindowLength + 1);
        const dd = Math.log((2 * Math.log(this.width)) / this.delta);
        const bound = Math.sqrt(2 * m * v * dd) + (2 / 3) * dd * m;
        if (diff > bound) {
          this.dropOldest();
          changed = again = true;
          break;
        }
      }
    }
    return changed;
  }

  private dropOldest(): void {
    const k = this.rows.length - 1;
    const b = this.rows[k].shift()!;
    const n = 2 ** k;
    const mean = this.total / this.width;
    this.width -= n;
    this.total -= b.total;
    // the window's variance without the dropped bucket (the parallel-variance formula, reversed)
    this.variance -= b.variance + ((n * this.width) / (n + this.width)) * (b.total / n - (this.total / this.width || mean)) ** 2;
    if (this.variance < 0) this.variance = 0;
    if (this.rows[k].length === 0) this.rows.pop();
  }
}
