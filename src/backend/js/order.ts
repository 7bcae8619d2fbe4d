/** The order family's reference: the engine's typed-array sort (numeric, -0 before +0, NaNs last). */
import { checkOrderArgs, type OrderKernels } from '../contract/order.js';

export const jsOrder: OrderKernels = {
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
};
