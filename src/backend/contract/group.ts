/**
 * The group family: reductions of a value column over integer group codes (−1: a row left
 * out), the passes behind the data room's groupBy. CPU backends run it (native and js, the
 * oracle); a frame operation is synchronous, as pandas', so the kernels are too.
 */
import { LengthError, ParamError } from '../../core/errors.js';

/** Per-group Kahan-compensated sum and count of the non-NaN values. */
export interface GroupSums {
  sum: Float64Array;
  count: Float64Array;
}

export interface GroupKernels {
  groupSums(values: Float64Array, codes: Int32Array, groups: number): GroupSums;
}

export function checkGroupArgs(values: Float64Array, codes: Int32Array, groups: number, owner: string): void {
  if (!(values instanceof Float64Array) || !(codes instanceof Int32Array))
    throw new ParamError(`${owner}: values must be a Float64Array and codes an Int32Array`);
  if (codes.length !== values.length) throw new LengthError(`${owner}: codes has ${codes.length} entries, values has ${values.length}`);
  if (!Number.isInteger(groups) || groups < 0) throw new ParamError(`${owner}: groups must be an integer >= 0, got ${groups}`);
}
