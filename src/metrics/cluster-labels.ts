/**
 * Clustering metrics that compare two labelings (scikit-learn 1.2's adjusted_rand_score,
 * normalized_mutual_info_score, homogeneity_completeness_v_measure). The labelings may use
 * different label kinds (classes vs cluster ids): only which samples share a label matters.
 */
import { ParamError } from '../core/errors.js';
import type { Label } from '../core/labels.js';
import { labels, sameLength } from './check.js';

/** The contingency table of two labelings (rows: yTrue's labels, columns: yPred's) and the marginals. */
interface Contingency {
  r: number;
  c: number;
  n: number;
  /** Sparse: (row, col, count) of non-zero cells. */
  cells: { i: number; j: number; v: number }[];
  rows: Float64Array;
  cols: Float64Array;
}

function contingency(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, fn: string): Contingency {
  const t = labels(yTrue, 'labelsTrue', fn),
    p = labels(yPred, 'labelsPred', fn);
  sameLength(t.codes.length, p.codes.length, 'labelsTrue', 'labelsPred', fn);
  const r = t.classes.length,
    c = p.classes.length;
  const counts = new Map<number, number>();
  const rows = new Float64Array(r),
    cols = new Float64Array(c);
  for (let s = 0; s < t.codes.length; s++) {
    const key = t.codes[s] * c + p.codes[s];
    counts.set(key, (counts.get(key) ?? 0) + 1);
    rows[t.codes[s]]++;
    cols[p.codes[s]]++;
  }
  const cells = [...counts].map(([key, v]) => ({ i: Math.floor(key / c), j: key % c, v }));
  return { r, c, n: t.codes.length, cells, rows, cols };
}

/** Entropy (natural log) of a labeling's class counts. */
function entropy(counts: Float64Array, n: number): number {
  let h = 0;
  for (const v of counts) if (v > 0) h -= (v / n) * (Math.log(v) - Math.log(n));
  return h;
}

/** Mutual information (natural log) from a contingency table, as scikit-learn sums it (terms below eps are 0). */
function mutualInfo(ct: Contingency): number {
  const { n, rows, cols } = ct;
  const logN = Math.log(n);
  let mi = 0;
  for (const { i, j, v } of ct.cells) {
    const pij = v / n;
    const term = pij * (Math.log(v) - logN) + pij * (-Math.log(rows[i] * cols[j]) + 2 * logN);
    if (Math.abs(term) >= Number.EPSILON) mi += term;
  }
  return Math.max(mi, 0);
}

/**
 * Rand index adjusted for chance: 1 for identical partitions (up to renaming), about 0 for
 * random ones, possibly negative. Symmetric.
 */
export function adjustedRandScore(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>): number {
  const ct = contingency(labelsTrue, labelsPred, 'adjustedRandScore');
  const { n } = ct;
  let squares = 0;
  for (const { v } of ct.cells) squares += v * v;
  let rowDot = 0,
    colDot = 0;
  for (const { i, j, v } of ct.cells) {
    colDot += v * ct.cols[j];
    rowDot += v * ct.rows[i];
  }
  const tp = squares - n,
    fp = colDot - squares,
    fn = rowDot - squares,
    tn = n * n - fp - fn - squares;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

export type NmiAverage = 'arithmetic' | 'geometric' | 'min' | 'max';

/**
 * Mutual information normalised by a mean of the two entropies (averageMethod, default
 * 'arithmetic' as scikit-learn): 1 for identical partitions, 0 for independent ones.
 */
export function normalizedMutualInfoScore(labelsTrue: ArrayLike<Label>, labelsPred: ArrayLike<Label>, opts: { averageMethod?: NmiAverage } = {}): number {
  const fn = 'normalizedMutualInfoScore';
  const method = opts.averageMethod ?? 'arithmetic';
  if (!['arithmetic', 'geometric', 'min', 'max'].includes(method)) {
    throw new ParamError(`${fn}: averageMethod must be 'arithmetic', 'geometric', 'min' or 'max', got ${JSON.stringify(method)}`);
  }
  const ct = contingency(labelsTrue, labelsPred, fn);
  if (ct.r === 1 && ct.c === 1) return 1;
  const mi = mutualInfo(ct);
  if (mi === 0) return 0;
  const ht = entropy(ct.rows, ct.n),
    hp = entropy(ct.cols, ct.n);
  const norm = method === 'arithmetic' ? (ht + hp) / 2 : method === 'geometric' ? Math.sqrt(ht * hp) : method === 'min' ? Math.min(ht, hp) : Math.max(ht, hp);
  return mi / Math.max(norm, Number.EPSILON);
}

export interface HomogeneityCompleteness {
  /** Each cluster holds members of a single class (1 = perfectly). */
  homogeneity: number;
  /** All members of a class are in the same cluster (1 = perfectly). */
  completeness: number;
  /** Their weighted harmonic mean (beta weights completeness). */
  vMeasure: number;
}

/** Homogeneity, completeness and V-measure of a clustering against ground-truth classes. */
export function homogeneityCompletenessVMeasure(
  labelsTrue: ArrayLike<Label>,
  labelsPred: ArrayLike<Label>,
  opts: { beta?: number } = {},
): HomogeneityCompleteness {
  const fn = 'homogeneityCompletenessVMeasure';
  const beta = opts.beta ?? 1;
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new ParamError(`${fn}: beta must be a finite number >= 0, got ${beta}`);
  const ct = contingency(labelsTrue, labelsPred, fn);
  const hc = entropy(ct.rows, ct.n),
    hk = entropy(ct.cols, ct.n);
  const mi = mutualInfo(ct);
  const homogeneity = hc ? mi / hc : 1,
    completeness = hk ? mi / hk : 1;
  const vMeasure = homogeneity + completeness === 0 ? 0 : ((1 + beta) * homogeneity * completeness) / (beta * homogeneity + completeness);
  return { homogeneity, completeness, vMeasure };
}
