/** A seeded hold-out split for early stopping (stratified by class for classifiers). */
import { Rng } from '../../core/prng.js';

/** Row indices of the training part and the validation part (each ascending). */
export function holdOut(n: number, fraction: number, seed: number, strata: Int32Array | null): { train: Int32Array; valid: Int32Array } {
  const rng = new Rng(seed);
  const isValid = new Uint8Array(n);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = strata ? strata[i] : 0;
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(i);
  }
  for (const list of groups.values()) {
    rng.shuffle(list);
    const take = Math.min(list.length - 1, Math.round(fraction * list.length));
    for (let k = 0; k < take; k++) isValid[list[k]] = 1;
  }
  const valid: number[] = [],
    train: number[] = [];
  for (let i = 0; i < n; i++) (isValid[i] ? valid : train).push(i);
  return { train: Int32Array.from(train), valid: Int32Array.from(valid) };
}
