/**
 * Association between categorical variables: contingencyTable (scipy.stats.contingency.crosstab
 * of two label arrays), cramersV (scipy.stats.contingency.association(method='cramer'), plus
 * Bergsma's bias correction as an option) and mutualInfo (scikit-learn's mutual_info_score).
 */
import { DTypeError, EmptyInputError, LengthError, ParamError } from '../core/errors.js';
import { chi2Contingency, readTable, type Table2D } from './contingency.js';
import { type NanPolicy, nanPolicyOf, type NanOptions } from './sample.js';

/** Labels of a categorical variable: strings, numbers or booleans; null, undefined or NaN are missing. */
export type Labels = ArrayLike<string | number | boolean | null | undefined>;

export interface ContingencyTable {
  /** Sorted distinct labels of the first variable (rows) and of the second (columns). */
  rowLabels: (string | number | boolean)[];
  colLabels: (string | number | boolean)[];
  /** Counts: observed[i][j] = pairs with the i-th row label and the j-th column label. */
  observed: number[][];
}

const isMissing = (v: unknown) => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

function checkLabels(a: Labels, fn: string, arg: string): void {
  if (a === null || typeof a !== 'object' || typeof a.length !== 'number') throw new DTypeError(`${fn}: ${arg} must be an array of labels`);
  if (a.length === 0) throw new EmptyInputError(`${fn}: ${arg} is empty; pass at least one label`);
  for (let i = 0; i < a.length; i++) {
    const t = typeof a[i];
    if (!isMissing(a[i]) && t !== 'string' && t !== 'number' && t !== 'boolean')
      throw new DTypeError(`${fn}: ${arg}[${i}] is a ${t}; labels are strings, numbers or booleans`);
  }
}

const compareLabels = (x: string | number | boolean, y: string | number | boolean) =>
  typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : typeof x < typeof y ? -1 : 1;

/**
 * Counts of label pairs (scipy.stats.contingency.crosstab): rows are the sorted distinct labels
 * of `a`, columns those of `b`. Pairs with a missing label are left out. Returns null under
 * nanPolicy 'propagate' when a label is missing.
 */
function tableOf(a: Labels, b: Labels, fn: string, policy: NanPolicy): ContingencyTable | null {
  checkLabels(a, fn, 'a');
  checkLabels(b, fn, 'b');
  if (a.length !== b.length) throw new LengthError(`${fn}: a has ${a.length} labels and b has ${b.length}; pairs need equal lengths`);
  const keep: number[] = [];
  for (let i = 0; i < a.length; i++) if (!isMissing(a[i]) && !isMissing(b[i])) keep.push(i);
  if (keep.length < a.length) {
    if (policy === 'raise') throw new ParamError(`${fn}: a or b has missing labels; drop them or pass nanPolicy: 'omit'`);
    if (policy === 'propagate') return null;
  }
  if (keep.length === 0) throw new EmptyInputError(`${fn}: no pair of labels is complete`);
  const rowLabels = [...new Set(keep.map((i) => a[i] as string | number | boolean))].sort(compareLabels);
  const colLabels = [...new Set(keep.map((i) => b[i] as string | number | boolean))].sort(compareLabels);
  const ri = new Map(rowLabels.map((l, i) => [l, i])),
    ci = new Map(colLabels.map((l, i) => [l, i]));
  const observed = rowLabels.map(() => new Array<number>(colLabels.length).fill(0));
  for (const i of keep) observed[ri.get(a[i] as string)!][ci.get(b[i] as string)!]++;
  return { rowLabels, colLabels, observed };
}

/** scipy.stats.contingency.crosstab of two label arrays; pairs with a missing label are left out. */
export function contingencyTable(a: Labels, b: Labels): ContingencyTable {
  return tableOf(a, b, 'contingencyTable', 'omit')!;
}

export interface CramersVOptions {
  /** Yates' correction of the chi-square statistic on 1-dof tables (scipy's `correction`). Default: false. */
  correction?: boolean;
  /** Bergsma (2013)'s bias correction of φ² and of the table's dimensions (as pandas-profiling uses). Default: false. */
  biasCorrection?: boolean;
}

/**
 * Cramér's V of a contingency table: √(χ²/n / min(r − 1, c − 1)) as
 * scipy.stats.contingency.association(method='cramer'); with biasCorrection, Bergsma's
 * φ²₊ = max(0, φ² − (r−1)(c−1)/(n−1)) over min(r̃ − 1, c̃ − 1), r̃ = r − (r−1)²/(n−1).
 * NaN when a dimension is 1 (0/0). A table of counts or two label arrays.
 */
export function cramersV(observed: Table2D, options?: CramersVOptions): number;
export function cramersV(a: Labels, b: Labels, options?: CramersVOptions): number;
export function cramersV(x: Table2D | Labels, y?: Labels | CramersVOptions, z?: CramersVOptions): number {
  const fn = 'cramersV';
  const pairs = y !== undefined && typeof y === 'object' && typeof (y as Labels).length === 'number';
  const options = ((pairs ? z : y) ?? {}) as CramersVOptions;
  const table = pairs ? tableOf(x as Labels, y as Labels, fn, 'omit')!.observed : readTable(x as Table2D, fn);
  const r = table.length,
    c = table[0].length;
  const n = table.flat().reduce((s, v) => s + v, 0);
  if (n === 0) throw new EmptyInputError(`${fn}: the table holds no counts`);
  if (r < 2 || c < 2) return NaN;
  const chi2 = chi2Contingency(table, { correction: options.correction ?? false }).statistic;
  const phi2 = chi2 / n;
  if (!options.biasCorrection) return Math.sqrt(phi2 / Math.min(r - 1, c - 1));
  const phi2c = Math.max(0, phi2 - ((r - 1) * (c - 1)) / (n - 1));
  const rc = r - (r - 1) ** 2 / (n - 1),
    cc = c - (c - 1) ** 2 / (n - 1);
  const d = Math.min(rc - 1, cc - 1);
  return d > 0 ? Math.sqrt(phi2c / d) : NaN;
}

export interface MutualInfoOptions extends NanOptions {
  /** Logarithm base: Math.E gives nats as scikit-learn, 2 gives bits. Default: Math.E. */
  base?: number;
}

/**
 * Mutual information of two discrete variables (scikit-learn's mutual_info_score, in nats by
 * default): Σ p(a,b) log(p(a,b) / (p(a) p(b))). Under 'propagate' a missing label gives NaN;
 * under 'omit' incomplete pairs are dropped.
 */
export function mutualInfo(a: Labels, b: Labels, options: MutualInfoOptions = {}): number {
  const fn = 'mutualInfo';
  const base = options.base ?? Math.E;
  if (!(base > 0 && base !== 1)) throw new ParamError(`${fn}: base must be > 0 and not 1, got ${base}`);
  const t = tableOf(a, b, fn, nanPolicyOf(fn, options));
  if (!t) return NaN;
  return mutualInfoOfTable(t.observed) / Math.log(base);
}

/** Mutual information (nats) of the counts of a contingency table; empty rows and columns add nothing. */
export function mutualInfoOfTable(o: readonly (readonly number[])[]): number {
  const n = o.flat().reduce((s, v) => s + v, 0);
  const rows = o.map((r) => r.reduce((s, v) => s + v, 0));
  const cols = o[0].map((_, j) => o.reduce((s, r) => s + r[j], 0));
  let mi = 0;
  for (let i = 0; i < o.length; i++)
    for (let j = 0; j < o[0].length; j++) {
      const v = o[i][j];
      if (v > 0) mi += (v / n) * Math.log((v * n) / (rows[i] * cols[j]));
    }
  return Math.max(0, mi);
}
