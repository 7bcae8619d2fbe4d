/** scikit-learn's KFold: consecutive folds (of shuffled rows when asked); the first n % k folds get one extra row. */
import { Rng } from '../../core/prng.js';
import { checkOptions } from '../../core/validate.js';
import { nSplitsOption, shuffleOptions } from './params.js';
import { requireAtMost, samplesOf, splitsFromFolds, type Split } from './split.js';

export interface KFoldOptions {
  /** Number of folds, at least 2 (default 5). */
  nSplits?: number;
  /** Shuffle rows before cutting folds (default false). */
  shuffle?: boolean;
  /** Seed of kiln's Rng when shuffling (default 0). */
  randomState?: number;
}

export class KFold {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly randomState: number;

  /** `new KFold(5)` or `new KFold({ nSplits: 5, shuffle: true, randomState: 1 })`. */
  constructor(options: number | KFoldOptions = {}) {
    const o = typeof options === 'number' ? { nSplits: options } : options;
    const owner = new.target.name; // StratifiedKFold shares this constructor
    checkOptions(o, ['nSplits', 'shuffle', 'randomState'], owner);
    this.nSplits = nSplitsOption(o.nSplits, 5, owner);
    ({ shuffle: this.shuffle, randomState: this.randomState } = shuffleOptions(o.shuffle, o.randomState, owner, false));
  }

  getNSplits(): number {
    return this.nSplits;
  }

  split(X: unknown, y?: any, groups?: unknown): Split[] {
    const n = samplesOf(X, y, groups, 'KFold.split');
    requireAtMost(this.nSplits, n, 'samples', 'KFold.split');
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (this.shuffle) new Rng(this.randomState).shuffle(order);
    const fold = new Int32Array(n);
    const base = Math.floor(n / this.nSplits),
      extra = n % this.nSplits;
    let at = 0;
    for (let f = 0; f < this.nSplits; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let i = at; i < at + size; i++) fold[order[i]] = f;
      at += size;
    }
    return splitsFromFolds(fold, this.nSplits);
  }
}
