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

/** Group codes (0, 1, 2, … in order of first appearance) and how many groups there are. */
export interface RowGroups {
  codes: Int32Array;
  n: number;
}

/**
 * A key column of whole-row grouping: numbers (−0 equal to +0, every NaN alike) or category
 * codes (every negative code is missing, equal to any other).
 */
export type KeyColumn = Float64Array | Int32Array;

export interface GroupKernels {
  groupSums(values: Float64Array, codes: Int32Array, groups: number): GroupSums;
  /** Group codes of whole rows over the key columns (duplicated's pass: missing equals missing). */
  rowGroups(columns: readonly KeyColumn[], rows: number): RowGroups;
}

export function checkGroupArgs(values: Float64Array, codes: Int32Array, groups: number, owner: string): void {
  if (!(values instanceof Float64Array) || !(codes instanceof Int32Array))
    throw new ParamError(`${owner}: values must be a Float64Array and codes an Int32Array`);
  if (codes.length !== values.length) throw new LengthError(`${owner}: codes has ${codes.length} entries, values has ${values.length}`);
  if (!Number.isInteger(groups) || groups < 0) throw new ParamError(`${owner}: groups must be an integer >= 0, got ${groups}`);
}

export function checkRowGroupsArgs(columns: readonly KeyColumn[], rows: number, owner: string): void {
  if (!Number.isInteger(rows) || rows < 0 || rows > 2 ** 31 - 1) throw new ParamError(`${owner}: rows must be an integer in [0, 2^31), got ${rows}`);
  columns.forEach((c, j) => {
    if (!(c instanceof Float64Array) && !(c instanceof Int32Array))
      throw new ParamError(`${owner}: columns[${j}] must be a Float64Array (numbers) or an Int32Array (category codes)`);
    if (c.length !== rows) throw new LengthError(`${owner}: columns[${j}] has ${c.length} entries for ${rows} rows`);
  });
}
