/**
 * scikit-learn's RepeatedKFold and RepeatedStratifiedKFold: k-fold cross-validation run
 * nRepeats times, each time on a different shuffle. One seeded Rng gives every repeat its own
 * seed, so the whole sequence is reproducible from randomState.
 */
import { ParamError } from '../../core/errors.js';
import { Rng } from '../../core/prng.js';
import { checkOptions } from '../../core/validate.js';
import type { Label } from '../../core/labels.js';
import { KFold } from './kfold.js';
import { nSplitsOption, seedOption } from './params.js';
import type { Split } from './split.js';
import { StratifiedKFold } from './stratified-kfold.js';

export interface RepeatedKFoldOptions {
  /** Folds per repeat, at least 2 (default 5). */
  nSplits?: number;
  /** How many times k-fold is repeated, at least 1 (default 10). */
  nRepeats?: number;
  /** Seed of kiln's Rng; each repeat shuffles with its own seed drawn from it (default 0). */
  randomState?: number;
}

abstract class Repeated {
  readonly nSplits: number;
  readonly nRepeats: number;
  readonly randomState: number;

  constructor(options: RepeatedKFoldOptions = {}) {
    const owner = new.target.name;
    checkOptions(options, ['nSplits', 'nRepeats', 'randomState'], owner);
    this.nSplits = nSplitsOption(options.nSplits, 5, owner);
    const r = options.nRepeats ?? 10;
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) {
      throw new ParamError(`${owner}: nRepeats must be an integer >= 1, got ${String(r)}`);
    }
    this.nRepeats = r;
    this.randomState = seedOption(options.randomState, owner);
  }

  getNSplits(): number {
    return this.nSplits * this.nRepeats;
  }

  protected abstract folds(seed: number): KFold;

  split(X: unknown, y?: any, groups?: unknown): Split[] {
    const rng = new Rng(this.randomState);
    const out: Split[] = [];
    for (let r = 0; r < this.nRepeats; r++) out.push(...this.folds(rng.nextUint32() | 0).split(X, y, groups));
    return out;
  }
}

/** KFold repeated with a new shuffle each time: nSplits × nRepeats splits. */
export class RepeatedKFold extends Repeated {
  protected folds(seed: number): KFold {
    return new KFold({ nSplits: this.nSplits, shuffle: true, randomState: seed });
  }
}

/** StratifiedKFold repeated with a new shuffle each time: nSplits × nRepeats splits. */
export class RepeatedStratifiedKFold extends Repeated {
  protected folds(seed: number): KFold {
    return new StratifiedKFold({ nSplits: this.nSplits, shuffle: true, randomState: seed });
  }

  override split(X: unknown, y: ArrayLike<Label>, groups?: unknown): Split[] {
    return super.split(X, y, groups);
  }
}
