/**
 * A training loop's shuffle of its rows for each epoch: the permutation Rng.shuffle gives and the
 * generator left where Rng.shuffle leaves it, drawn by the CPU backend's order kernel from 256
 * values (native: 0.33–0.40 ms for 100,000 rows between an MLP fit's epochs, whose arrays the epoch
 * has pushed out of cache, against 0.86–1.16 ms for the JavaScript loop: bench/epoch-shuffle.ts).
 */
import type { OrderKernels } from '../backend/contract/order.js';
import { resolveCpuBackendSync } from '../backend/select.js';
import type { Rng } from '../core/prng.js';

/** Below this many values the JavaScript loop costs less than a native call (in cache: 0.85 against 0.92 µs at 128, 1.68 against 1.13 at 256; bench/epoch-shuffle.ts). */
const NATIVE_FROM = 256;

export function shuffleInPlace(values: Int32Array, rng: Rng): Int32Array {
  if (values.length < NATIVE_FROM) return rng.shuffle(values);
  return shuffleByKernel(resolveCpuBackendSync(undefined, 'shuffle').order, values, rng);
}

/** Rng.shuffle(values) through `order`'s shuffleI32: the generator's four words in, advanced, and back (its spare normal kept). */
export function shuffleByKernel(order: OrderKernels, values: Int32Array, rng: Rng): Int32Array {
  const s = rng.getState();
  const state = Uint32Array.from(s.slice(0, 4));
  order.shuffleI32(values, state);
  rng.setState([...state, s[4]]);
  return values;
}
