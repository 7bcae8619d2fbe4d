/** Ranks with ties averaged (scipy.stats.rankdata's 'average') and tie-group sizes, the base of the rank tests. */
import { argsortStable, averageRanks, sortedCopy } from '../ops/sort.js';

/** Indices that sort `v` ascending (stable). */
export const argsort = argsortStable;

/** 1-based ranks, tied values sharing the mean of their positions (scipy.stats.rankdata(method='average')). */
export const rankdata = averageRanks;

/** Sizes of the groups of equal values (groups of one included). */
export function tieGroups(v: ArrayLike<number>): number[] {
  const s = sortedCopy(v);
  const sizes: number[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i + 1;
    while (j < s.length && s[j] === s[i]) j++;
    sizes.push(j - i);
    i = j;
  }
  return sizes;
}

/** scipy.stats.tiecorrect: 1 − Σ(t³ − t) / (n³ − n) over tie groups of the ranks. */
export function tieCorrection(v: ArrayLike<number>): number {
  const n = v.length;
  if (n < 2) return 1;
  let s = 0;
  for (const t of tieGroups(v)) s += t * t * t - t;
  return 1 - s / (n * n * n - n);
}
