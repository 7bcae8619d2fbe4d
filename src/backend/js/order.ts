/** The order family's reference: the engine's typed-array sort (numeric, -0 before +0, NaNs last). */
import { checkOrderArgs, type OrderKernels } from '../contract/order.js';

export const jsOrder: OrderKernels = {
  sortF64(values: Float64Array): Float64Array {
    checkOrderArgs(values, 'sortF64');
    return values.slice().sort();
  },
};
