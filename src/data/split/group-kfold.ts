/**
 * scikit-learn 1.2's GroupKFold: no group is split across folds; groups go, largest
 * first, to the fold with the fewest rows so far, which evens out fold sizes.
 */
import { ParamError } from '../../core/errors.js';
import { checkOptions } from '../../core/validate.js';
import { encodeLabels, type Label } from '../../core/labels.js';
import { numpyArgsort } from './numpy-argsort.js';
import { nSplitsOption } from './params.js';
import { requireAtMost, samplesOf, splitsFromFolds, type Split } from './split.js';

export class GroupKFold {
  readonly nSplits: number;

  /** `new GroupKFold(5)` or `new GroupKFold({ nSplits: 5 })`. */
  constructor(options: number | { nSplits?: number } = {}) {
    const o = typeof options === 'number' ? { nSplits: options } : options;
    checkOptions(o, ['nSplits'], 'GroupKFold');
    this.nSplits = nSplitsOption(o.nSplits, 5, 'GroupKFold');
  }

  getNSplits(): number {
    return this.nSplits;
  }

  split(X: unknown, y: unknown, groups: ArrayLike<Label>): Split[] {
    const fn = 'GroupKFold.split';
    if (groups === undefined) throw new ParamError(`${fn}: groups is required; pass split(X, y, groups) (y may be undefined)`);
    const n = samplesOf(X, y, groups, fn);
    // Groups numbered in sorted order, as numpy.unique numbers them.
    const { classes, codes } = encodeLabels(groups, `${fn}: groups`);
    const G = classes.length;
    requireAtMost(this.nSplits, G, 'groups', fn);
    const sizes = new Float64Array(G);
    for (let i = 0; i < n; i++) sizes[codes[i]]++;
    const order = numpyArgsort(sizes).reverse(); // largest first, ties as numpy leaves them
    const foldRows = new Float64Array(this.nSplits);
    const groupFold = new Int32Array(G);
    for (const g of order) {
      let lightest = 0; // first fold with the fewest rows (numpy.argmin)
      for (let f = 1; f < this.nSplits; f++) if (foldRows[f] < foldRows[lightest]) lightest = f;
      foldRows[lightest] += sizes[g];
      groupFold[g] = lightest;
    }
    return splitsFromFolds(
      codes.map((c) => groupFold[c]),
      this.nSplits,
    );
  }
}
