/** The order family's reference: the engine's typed-array sort (numeric, -0 before +0, NaNs last) and Rng.shuffle. */
import { Rng } from '../../core/prng.js';
import { checkOrderArgs, checkShuffleArgs, type OrderKernels } from '../contract/order.js';

export const jsOrder: OrderKernels = {
  averageRanksF64(values: Float64Array): Float64Array {
    checkOrderArgs(values, 'averageRanksF64');
    const order = jsOrder.argsortF64(values);
    const ranks = new Float64Array(values.length);
    for (let i = 0; i < order.length; ) {
      let j = i + 1;
      while (j < order.length && values[order[j]] === values[order[i]]) j++;
      const r = (i + j + 1) / 2; // mean of positions i+1 .. j
      for (let k = i; k < j; k++) ranks[order[k]] = r;
      i = j;
    }
    return ranks;
  },
  sortF64(values: Float64Array): Float64Array {
    checkOrderArgs(values, 'sortF64');
    return values.slice().sort();
  },
  argsortF64(values: Float64Array): Uint32Array {
    checkOrderArgs(values, 'argsortF64');
    const idx = Uint32Array.from({ length: values.length }, (_, i) => i);
    return idx.sort((a, b) => {
      const x = values[a],
        y = values[b];
      if (x < y) return -1;
      if (x > y) return 1;
      const nx = x !== x,
        ny = y !== y;
      return nx === ny ? a - b : nx ? 1 : -1;
    });
  },
  shuffleI32(values: Int32Array, state: Uint32Array): void {
    checkShuffleArgs(values, state, 'shuffleI32');
    const rng = Rng.fromState([...state, Number.NaN]);
    rng.shuffle(values);
    state.set(rng.getState().slice(0, 4));
  },
};
