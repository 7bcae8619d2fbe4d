/**
 * Long single passes in JavaScript run block by block. A loop that a process enters once or
 * twice (a profile's moments over 3 M rows) runs in V8's on-stack-replaced code, measured 4–5×
 * slower on Node 20 than the fully optimised code of a small function called many times:
 * `skew` of 3 M doubles, first call of a process, 46 ms as two plain loops, 17 ms over blocks of
 * 1,024 rows (`node bench/compare-checkouts.mjs OLD NEW 3 skew`). So a pass is a small function over
 * [lo, hi) that carries its accumulators in a state array from block to block — the additions
 * happen in the same order, the results are bit-identical.
 */

/** Rows per block of a long pass. */
export const PASS_BLOCK = 1024;

/** The end of the block starting at lo in a pass over n rows. */
export const blockEnd = (lo: number, n: number): number => (lo + PASS_BLOCK < n ? lo + PASS_BLOCK : n);

function sumBlock(v: ArrayLike<number>, lo: number, hi: number, st: Float64Array): void {
  let s = st[0];
  for (let i = lo; i < hi; i++) s += v[i];
  st[0] = s;
}

/** The values added left to right (NaN propagates), as a plain loop adds them. */
export function sumInOrder(v: ArrayLike<number>): number {
  const st = new Float64Array(1);
  for (let lo = 0; lo < v.length; lo += PASS_BLOCK) sumBlock(v, lo, blockEnd(lo, v.length), st);
  return st[0];
}

function countNaNBlock(v: ArrayLike<number>, lo: number, hi: number): number {
  let k = 0;
  for (let i = lo; i < hi; i++) if (v[i] !== v[i]) k++;
  return k;
}

/** The number of NaNs among the values. */
export function countNaN(v: ArrayLike<number>): number {
  let k = 0;
  for (let lo = 0; lo < v.length; lo += PASS_BLOCK) k += countNaNBlock(v, lo, blockEnd(lo, v.length));
  return k;
}

/** Whether any value is NaN (stops at the first block holding one). */
export function hasNaN(v: ArrayLike<number>): boolean {
  for (let lo = 0; lo < v.length; lo += PASS_BLOCK) if (countNaNBlock(v, lo, blockEnd(lo, v.length)) > 0) return true;
  return false;
}
