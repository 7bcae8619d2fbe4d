/**
 * scikit-learn's ShuffleSplit and StratifiedShuffleSplit: nSplits independent random
 * train/test splits (rows may be in the test set of several splits). Sizes as trainTestSplit:
 * a fraction or a count; the default test share is 0.1, as scikit-learn's.
 */
import { ParamError } from '../../core/errors.js';
import { Rng } from '../../core/prng.js';
import { checkOptions } from '../../core/validate.js';
import type { Label } from '../../core/labels.js';
import { cutBuckets } from './buckets.js';
import { seedOption, trainTestCounts } from './params.js';
import { samplesOf, type Split } from './split.js';

export interface ShuffleSplitOptions {
  /** Number of random splits, at least 1 (default 10). */
  nSplits?: number;
  /** Fraction in (0, 1) (rows rounded up) or a row count; default 0.1, or the complement of trainSize. */
  testSize?: number;
  /** Fraction in (0, 1) (rows rounded down) or a row count; default: the complement of testSize. */
  trainSize?: number;
  /** Seed of kiln's Rng (default 0). */
  randomState?: number;
}

export class ShuffleSplit {
  readonly nSplits: number;
  readonly testSize: number | undefined;
  readonly trainSize: number | undefined;
  readonly randomState: number;

  /** `new ShuffleSplit({ nSplits: 5, testSize: 0.2, randomState: 1 })`. */
  constructor(options: ShuffleSplitOptions = {}) {
    const owner = new.target.name;
    checkOptions(options, ['nSplits', 'testSize', 'trainSize', 'randomState'], owner);
    const k = options.nSplits ?? 10;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new ParamError(`${owner}: nSplits must be an integer >= 1, got ${String(k)}`);
    this.nSplits = k;
    this.testSize = options.testSize ?? (options.trainSize === undefined ? 0.1 : undefined);
    this.trainSize = options.trainSize;
    this.randomState = seedOption(options.randomState, owner);
  }

  getNSplits(): number {
    return this.nSplits;
  }

  split(X: unknown, y?: any, groups?: unknown): Split[] {
    return this.cut(X, y, groups, undefined);
  }

  protected cut(X: unknown, y: unknown, groups: unknown, stratify: ArrayLike<Label> | undefined): Split[] {
    const fn = `${this.constructor.name}.split`;
    const n = samplesOf(X, y, groups, fn);
    const { nTrain, nTest } = trainTestCounts(n, this.testSize, this.trainSize, fn);
    const rng = new Rng(this.randomState);
    const out: Split[] = [];
    for (let s = 0; s < this.nSplits; s++) {
      const [train, test] = cutBuckets(n, [nTrain, nTest], ['train', 'test'], { rng, stratify }, fn);
      out.push({ train: train.sort(), test: test.sort() }); // ascending, as every kiln Split
    }
    return out;
  }
}

/** ShuffleSplit that keeps each class's share in both parts of every split (y required). */
export class StratifiedShuffleSplit extends ShuffleSplit {
  override split(X: unknown, y: ArrayLike<Label>, groups?: unknown): Split[] {
    if (y === undefined) throw new ParamError('StratifiedShuffleSplit.split: y (the class labels) is required; pass split(X, y)');
    return this.cut(X, y, groups, y);
  }
}
