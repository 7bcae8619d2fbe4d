/**
 * The column types of a Frame, apart from the Frame class so the table operations (ops/) can
 * read and build columns without importing the class that calls them.
 */
import { ShapeError } from '../core/errors.js';
import { blockEnd, PASS_BLOCK } from '../core/passes.js';

export type FrameColumn = { kind: 'numeric' | 'boolean' | 'datetime'; values: Float64Array } | { kind: 'categorical'; codes: Int32Array; labels: string[] };

/** What the operations read of a Frame. */
export interface ColumnSource {
  readonly rows: number;
  readonly columnNames: string[];
  column(name: string): FrameColumn;
}

/**
 * Text as codes (−1 missing) into labels in first-appearance order: each distinct string is
 * interned once (the Parquet decoder interns a dictionary entry once per chunk, so no string is
 * written per row). `categoricalFromCodes` sorts the labels afterwards.
 */
export class CodeColumn {
  readonly codes: Int32Array;
  readonly labels: string[] = [];
  private readonly index = new Map<string, number>();
  constructor(rows: number) {
    this.codes = new Int32Array(rows);
  }
  code(s: string | null): number {
    if (s === null) return -1;
    let k = this.index.get(s);
    if (k === undefined) {
      k = this.labels.length;
      this.labels.push(s);
      this.index.set(s, k);
    }
    return k;
  }
}

/** Strings (null = missing) as a categorical column: sorted labels, codes into them, −1 for missing. */
export function categoricalColumn(values: readonly (string | null)[]): FrameColumn {
  const column = new CodeColumn(values.length);
  for (let lo = 0; lo < values.length; lo += PASS_BLOCK) internBlock(values, lo, blockEnd(lo, values.length), column);
  return categoricalFromCodes(column.codes, column.labels);
}

function internBlock(values: readonly (string | null)[], lo: number, hi: number, column: CodeColumn): void {
  for (let i = lo; i < hi; i++) column.codes[i] = column.code(values[i]);
}

/**
 * Codes (−1 missing) into distinct labels in any order as a categorical column in
 * categoricalColumn's order (labels sorted): the labels are sorted once and the codes remapped
 * in place, one pass. The labels must be the ones the codes use (no unused label).
 */
export function categoricalFromCodes(codes: Int32Array, labels: string[]): FrameColumn {
  const sorted = [...labels].sort();
  let same = true;
  for (let i = 0; i < labels.length && same; i++) same = labels[i] === sorted[i];
  if (!same) {
    const rank = new Map(sorted.map((l, i) => [l, i]));
    const remap = Int32Array.from(labels, (l) => rank.get(l)!);
    for (let lo = 0; lo < codes.length; lo += PASS_BLOCK) remapBlock(codes, lo, blockEnd(lo, codes.length), remap);
  }
  return { kind: 'categorical', labels: sorted, codes };
}

function remapBlock(codes: Int32Array, lo: number, hi: number, remap: Int32Array): void {
  for (let r = lo; r < hi; r++) {
    const k = codes[r];
    if (k >= 0) codes[r] = remap[k];
  }
}

/** Rows per code among `labels` codes (the missing code −1 left out). */
export function codeCounts(codes: Int32Array, labels: number): Float64Array {
  const counts = new Float64Array(labels);
  for (let lo = 0; lo < codes.length; lo += PASS_BLOCK) codeCountsBlock(codes, lo, blockEnd(lo, codes.length), counts);
  return counts;
}

function codeCountsBlock(codes: Int32Array, lo: number, hi: number, counts: Float64Array): void {
  for (let i = lo; i < hi; i++) if (codes[i] >= 0) counts[codes[i]]++;
}

export function columnLength(c: FrameColumn): number {
  return c.kind === 'categorical' ? c.codes.length : c.values.length;
}

export function isMissing(c: FrameColumn, r: number): boolean {
  return c.kind === 'categorical' ? c.codes[r] < 0 : Number.isNaN(c.values[r]);
}

/** The named columns, or a ShapeError naming the first unknown one and listing the frame's columns. */
export function requireColumns(frame: ColumnSource, names: readonly string[], caller: string): FrameColumn[] {
  const known = frame.columnNames;
  for (const n of names) {
    if (typeof n !== 'string' || !known.includes(n)) throw new ShapeError(`${caller}: no column ${JSON.stringify(n)}; the frame has ${known.join(', ')}`);
  }
  return names.map((n) => frame.column(n));
}

/** One name or a list of them as a list (at least one). */
export function nameList(names: string | readonly string[], what: string, caller: string): string[] {
  const list = typeof names === 'string' ? [names] : Array.isArray(names) ? [...names] : [];
  if (list.length === 0) throw new ShapeError(`${caller}: ${what} must be a column name or a non-empty list of them`);
  return list;
}

/** Rows idx of a column; idx −1 gives a missing value (the unmatched rows of a left join). */
export function takeColumn(c: FrameColumn, idx: Int32Array): FrameColumn {
  const n = idx.length;
  if (c.kind === 'categorical') {
    const codes = new Int32Array(n),
      src = c.codes;
    for (let i = 0; i < n; i++) {
      const r = idx[i];
      codes[i] = r < 0 ? -1 : src[r];
    }
    return { kind: 'categorical', codes, labels: c.labels };
  }
  const values = new Float64Array(n),
    src = c.values;
  for (let i = 0; i < n; i++) {
    const r = idx[i];
    values[i] = r < 0 ? NaN : src[r];
  }
  return { kind: c.kind, values };
}

/** Label ranks in string order (labels need not be sorted: a user may build a column with any order). */
export function labelRanks(labels: readonly string[]): Int32Array {
  const ranks = new Int32Array(labels.length);
  let sorted = true;
  for (let i = 1; i < labels.length && sorted; i++) sorted = labels[i - 1] < labels[i];
  if (sorted) {
    for (let i = 0; i < labels.length; i++) ranks[i] = i;
    return ranks;
  }
  const order = Array.from(labels.keys()).sort((a, b) => (labels[a] < labels[b] ? -1 : labels[a] > labels[b] ? 1 : a - b));
  order.forEach((k, rank) => {
    ranks[k] = rank;
  });
  return ranks;
}

/** An empty column record without a prototype, so that a column named '__proto__' is a column. */
export function newColumns(): Record<string, FrameColumn> {
  return Object.create(null) as Record<string, FrameColumn>;
}
