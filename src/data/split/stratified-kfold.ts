/**
 * scikit-learn's StratifiedKFold: each class is dealt round-robin over the folds (so a
 * class's count per fold differs by at most one between folds), in blocks that keep row
 * order unless shuffled.
 */
import { ParamError } from '../../core/errors.js';
import { Rng } from '../../core/prng.js';
import { encodeLabels, type Label } from '../../core/labels.js';
import { KFold } from './kfold.js';
import { requireAtMost, samplesOf, splitsFromFolds, type Split } from './split.js';

/** KFold that keeps each class's share in every fold (the same options as KFold). */
export class StratifiedKFold extends KFold {
  override split(X: unknown, y: ArrayLike<Label>, groups?: unknown): Split[] {
    const fn = 'StratifiedKFold.split';
    if (y === undefined) throw new ParamError(`${fn}: y (the class labels) is required; pass split(X, y)`);
    const n = samplesOf(X, y, groups, fn);
    requireAtMost(this.nSplits, n, 'samples', fn);
    const { classes, codes } = encodeLabels(y, `${fn}: y`);
    // Classes numbered by first appearance, as scikit-learn does (it decides which class
    // gets the round-robin's leftovers first).
    const byAppearance = new Int32Array(classes.length).fill(-1);
    let next = 0;
    for (let i = 0; i < n; i++) if (byAppearance[codes[i]] < 0) byAppearance[codes[i]] = next++;
    const enc = codes.map((c) => byAppearance[c]);
    const K = classes.length,
      k = this.nSplits;
    const counts = new Int32Array(K);
    for (let i = 0; i < n; i++) counts[enc[i]]++;
    for (let c = 0; c < K; c++) {
      if (counts[c] < k) {
        const label = classes[byAppearance.indexOf(c)];
        throw new ParamError(
          `${fn}: class ${JSON.stringify(label)} has ${counts[c]} members, fewer than nSplits=${k}; ` +
            `every class needs at least one row per fold: use nSplits <= ${counts[c]} or merge rare classes`,
        );
      }
    }
    // allocation[f][c]: rows of class c in fold f when the class-sorted labels are dealt
    // round-robin over the folds (scikit-learn's y_order[f::k] counts).
    const allocation = Array.from({ length: k }, () => new Int32Array(K));
    let pos = 0;
    for (let c = 0; c < K; c++) for (let j = 0; j < counts[c]; j++, pos++) allocation[pos % k][c]++;
    const rng = this.shuffle ? new Rng(this.randomState) : null;
    const fold = new Int32Array(n);
    for (let c = 0; c < K; c++) {
      const foldsForClass = new Int32Array(counts[c]);
      let at = 0;
      for (let f = 0; f < k; f++) for (let j = 0; j < allocation[f][c]; j++) foldsForClass[at++] = f;
      if (rng) rng.shuffle(foldsForClass);
      at = 0;
      for (let i = 0; i < n; i++) if (enc[i] === c) fold[i] = foldsForClass[at++];
    }
    return splitsFromFolds(fold, k);
  }
}
