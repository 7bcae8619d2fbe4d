/**
 * The profile's discrete views of columns: a code per row (categories as they are, numbers by
 * distinct value or by decile) and what is counted over codes — rows per code, cross counts of two
 * coded columns, Cramér's V, values split by code. Long passes run over blocks (core/passes.ts).
 */
import { percentile } from '../core/numeric.js';
import { blockEnd, PASS_BLOCK } from '../core/passes.js';
import { codeCounts } from '../data/column.js';
import type { FrameColumn } from '../data/frame.js';
import { cramersV } from '../stats/index.js';

/** A discrete view of a column: a code per row (−1: missing) and the label of each code. */
export interface Coded {
  codes: Int32Array;
  names: string[];
}

/** Categories as they are; numbers and booleans by distinct value (their labels are the values as text). */
export function codedOf(c: FrameColumn): Coded {
  if (c.kind === 'categorical') return { codes: c.codes, names: c.labels.map(String) };
  const ids = new Map<number, number>();
  const names: string[] = [];
  const values = c.values;
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) {
      codes[i] = -1;
      continue;
    }
    let id = ids.get(v);
    if (id === undefined) {
      ids.set(v, (id = names.length));
      names.push(String(v));
    }
    codes[i] = id;
  }
  return { codes, names };
}

/** Rows per code (missing rows left out). */
export const codeCountsOf = (c: Coded): Float64Array => codeCounts(c.codes, c.names.length);

function crossCountsBlock(a: Int32Array, b: Int32Array, lo: number, hi: number, kb: number, flat: Float64Array): void {
  for (let i = lo; i < hi; i++) {
    const x = a[i],
      y = b[i];
    if (x >= 0 && y >= 0) flat[x * kb + y]++;
  }
}

function decileBlock(v: Float64Array, lo: number, hi: number, cuts: Float64Array, codes: Int32Array): void {
  const [c0, c1, c2, c3, c4, c5, c6, c7, c8] = cuts;
  for (let i = lo; i < hi; i++) {
    const x = v[i];
    // the count of cuts below x, without a data-dependent branch per cut
    codes[i] = x !== x ? -1 : +(x > c0) + +(x > c1) + +(x > c2) + +(x > c3) + +(x > c4) + +(x > c5) + +(x > c6) + +(x > c7) + +(x > c8);
  }
}

/** Counts of each (a, b) code pair over the rows where both are present: a's codes by b's. */
export function crossCounts(a: Coded, b: Coded): number[][] {
  const kb = b.names.length;
  const flat = new Float64Array(a.names.length * kb);
  for (let lo = 0; lo < a.codes.length; lo += PASS_BLOCK) crossCountsBlock(a.codes, b.codes, lo, blockEnd(lo, a.codes.length), kb, flat);
  return Array.from({ length: a.names.length }, (_, r) => Array.from(flat.subarray(r * kb, (r + 1) * kb)));
}

/** A table without its all-zero rows and columns (labels no complete pair has), for the chi-square test. */
export function withoutEmpty(t: number[][]): number[][] {
  const cols = t[0]?.map((_, j) => t.some((r) => r[j] > 0)) ?? [];
  return t.filter((r) => r.some((v) => v > 0)).map((r) => r.filter((_, j) => cols[j]));
}

/**
 * The non-NaN values of each code's rows (codes with no such value left out), by the code's name,
 * in order of first appearance.
 */
export function valuesByCode(values: Float64Array, coded: Coded): Map<string, Float64Array> {
  const k = coded.names.length;
  const count = new Int32Array(k);
  const first = new Int32Array(k).fill(-1);
  for (let i = 0; i < values.length; i++) {
    const c = coded.codes[i];
    if (c >= 0 && values[i] === values[i]) {
      if (count[c]++ === 0) first[c] = i;
    }
  }
  const out = Array.from(count, (m) => new Float64Array(m));
  const fill = new Int32Array(k);
  for (let i = 0; i < values.length; i++) {
    const c = coded.codes[i];
    if (c >= 0 && values[i] === values[i]) out[c][fill[c]++] = values[i];
  }
  const seen = Array.from({ length: k }, (_, c) => c).filter((c) => count[c] > 0);
  seen.sort((a, b) => first[a] - first[b]);
  return new Map(seen.map((c) => [coded.names[c], out[c]]));
}

/** Cramér's V of two discrete columns over their complete pairs (NaN when fewer than two labels of each pair up). */
export function cramersVOfCodes(a: Coded, b: Coded): number {
  const table = withoutEmpty(crossCounts(a, b));
  return table.length >= 2 && table[0].length >= 2 ? cramersV(table) : NaN;
}

/** Numbers as deciles d0…d9 (for mutual information with a discrete variable); `s`: the finite values in order. */
export function deciles(v: Float64Array, s: Float64Array): Coded {
  const [c0, c1, c2, c3, c4, c5, c6, c7, c8] = Array.from({ length: 9 }, (_, i) => percentile(s, (i + 1) * 10));
  const codes = new Int32Array(v.length);
  const cuts = Float64Array.of(c0, c1, c2, c3, c4, c5, c6, c7, c8);
  for (let lo = 0; lo < v.length; lo += PASS_BLOCK) decileBlock(v, lo, blockEnd(lo, v.length), cuts, codes);
  return { codes, names: Array.from({ length: 10 }, (_, b) => `d${b}`) };
}
