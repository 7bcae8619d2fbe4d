/**
 * How many samples of each class go to each split of a stratified split.
 *
 * Each class c of size counts[c] gets counts[c] · sizes[s] / n rows of split s, rounded
 * down or up so that every class and every split adds up exactly (a "controlled
 * rounding" of the exact shares). scikit-learn rounds the train shares first and then
 * the test shares of what is left, which can miss a class's test share by up to two
 * rows when train + test < n; rounding the whole table at once keeps every entry
 * within one row of its exact share. Which entries round up is decided by larger
 * remainders first, ties by the seeded Rng.
 */
import type { Rng } from '../../core/prng.js';

/** floor(a · b / n) and its remainder, exact beyond 2^53 too. */
function mulDiv(a: number, b: number, n: number): [number, number] {
  const p = a * b;
  if (p <= Number.MAX_SAFE_INTEGER) return [Math.floor(p / n), p % n];
  const big = BigInt(a) * BigInt(b),
    bn = BigInt(n);
  return [Number(big / bn), Number(big % bn)];
}

/** alloc[c][s]; `sizes` must add up to the total of `counts` (callers add a bucket for unused rows). */
export function allocateStrata(counts: readonly number[], sizes: readonly number[], rng: Rng): number[][] {
  const n = counts.reduce((a, b) => a + b, 0);
  const K = counts.length,
    S = sizes.length;
  const alloc: number[][] = [],
    rem: number[][] = [];
  const rowNeed = new Array<number>(K).fill(0),
    colLeft = sizes.slice();
  for (let c = 0; c < K; c++) {
    alloc.push([]);
    rem.push([]);
    let sum = 0;
    for (let s = 0; s < S; s++) {
      const [q, r] = mulDiv(counts[c], sizes[s], n);
      alloc[c].push(q);
      rem[c].push(r);
      sum += q;
      colLeft[s] -= q;
    }
    rowNeed[c] = counts[c] - sum; // how many of this class's entries must round up
  }
  // Round up along augmenting paths (bipartite matching with capacities): an entry may
  // round up only if its share has a remainder; a solution always exists because the
  // exact shares themselves are a fractional one.
  const up: boolean[][] = rem.map((row) => row.map(() => false));
  const tie = rem.map((row) => row.map(() => rng.random()));
  const order = rem.map((row, c) => row.map((_, s) => s).sort((a, b) => rem[c][b] - rem[c][a] || tie[c][a] - tie[c][b]));
  const tryRow = (c: number, seen: boolean[]): boolean => {
    for (const s of order[c]) {
      if (rem[c][s] === 0 || up[c][s] || seen[s]) continue;
      seen[s] = true;
      if (colLeft[s] > 0) {
        up[c][s] = true;
        colLeft[s]--;
        return true;
      }
      // s is full: move one of its round-ups from another class elsewhere
      for (let c2 = 0; c2 < K; c2++) {
        if (up[c2][s] && tryRowExcept(c2, s, seen)) {
          up[c][s] = true;
          return true;
        }
      }
    }
    return false;
  };
  const tryRowExcept = (c: number, freed: number, seen: boolean[]): boolean => {
    up[c][freed] = false;
    if (tryRow(c, seen)) return true;
    up[c][freed] = true;
    return false;
  };
  const classes = rng.shuffle(Array.from({ length: K }, (_, c) => c));
  for (const c of classes) {
    for (let k = 0; k < rowNeed[c]; k++) tryRow(c, new Array<boolean>(S).fill(false));
  }
  for (let c = 0; c < K; c++) for (let s = 0; s < S; s++) if (up[c][s]) alloc[c][s]++;
  return alloc;
}
