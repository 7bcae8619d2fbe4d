/**
 * Cuts n row indices into consecutive buckets of given sizes: in order (no shuffle),
 * shuffled, or shuffled within each class so every bucket keeps the class shares.
 */
import { LengthError, ParamError } from '../../core/errors.js';
import type { Rng } from '../../core/prng.js';
import { encodeLabels, type Label } from '../../core/labels.js';
import { allocateStrata } from './allocate.js';

/** Buckets of `sizes` rows (sum ≤ n; rows left over belong to none), named for errors. */
export function cutBuckets(
  n: number,
  sizes: readonly number[],
  names: readonly string[],
  how: { rng: Rng | null; stratify?: ArrayLike<Label> },
  fn: string,
): Int32Array[] {
  if (how.stratify !== undefined) {
    if (how.rng === null) throw new ParamError(`${fn}: stratify needs shuffle: true (a stratified split without shuffling is not defined)`);
    return stratifiedBuckets(n, sizes, names, how.stratify, how.rng, fn);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (how.rng) how.rng.shuffle(order);
  const out: Int32Array[] = [];
  let at = 0;
  for (const s of sizes) {
    out.push(order.slice(at, at + s));
    at += s;
  }
  return out;
}

function stratifiedBuckets(n: number, sizes: readonly number[], names: readonly string[], stratify: ArrayLike<Label>, rng: Rng, fn: string): Int32Array[] {
  const { classes, codes } = encodeLabels(stratify, `${fn}: stratify`);
  if (codes.length !== n) {
    throw new LengthError(`${fn}: stratify has ${codes.length} labels but the arrays have ${n} rows; pass one label per row`);
  }
  const K = classes.length;
  const counts = new Array<number>(K).fill(0);
  for (let i = 0; i < n; i++) counts[codes[i]]++;
  const rare = counts.findIndex((c) => c < 2);
  if (rare >= 0) {
    throw new ParamError(
      `${fn}: class ${JSON.stringify(classes[rare])} in stratify has only 1 member; every class needs at least 2 ` +
        'to be stratified: merge rare classes, drop them, or leave out stratify',
    );
  }
  sizes.forEach((s, b) => {
    if (s < K) {
      throw new ParamError(`${fn}: the ${names[b]} set has ${s} rows, fewer than the ${K} classes in stratify; make it at least ${K} rows`);
    }
  });
  const used = sizes.reduce((a, b) => a + b, 0);
  const alloc = allocateStrata(counts, [...sizes, n - used], rng);
  // Members of each class in row order, then shuffled within the class.
  const members: Int32Array[] = counts.map((c) => new Int32Array(c));
  const fill = new Array<number>(K).fill(0);
  for (let i = 0; i < n; i++) members[codes[i]][fill[codes[i]]++] = i;
  const out = sizes.map((s) => new Int32Array(s));
  const at = new Array<number>(sizes.length).fill(0);
  for (let c = 0; c < K; c++) {
    const m = rng.shuffle(members[c]);
    let from = 0;
    for (let b = 0; b < sizes.length; b++) {
      out[b].set(m.subarray(from, from + alloc[c][b]), at[b]);
      at[b] += alloc[c][b];
      from += alloc[c][b];
    }
  }
  // Classes would otherwise come in blocks: shuffle each bucket's order.
  for (const b of out) rng.shuffle(b);
  return out;
}
