/** A new column from what a user hands to assign: a Frame column, numbers, or text. */
import { DTypeError, LengthError } from '../../core/errors.js';
import type { FrameColumn } from '../column.js';
import { categoricalColumn, columnLength } from '../column.js';

export type ColumnInput = FrameColumn | Float64Array | ArrayLike<number> | readonly (string | null)[];

function isFrameColumn(v: unknown): v is FrameColumn {
  return typeof v === 'object' && v !== null && 'kind' in v && ('values' in v || 'codes' in v);
}

/** `value` as a column of `rows` rows (numbers: numeric, null/undefined → NaN; text: categorical). */
export function toColumn(value: ColumnInput, rows: number, name: string): FrameColumn {
  let col: FrameColumn;
  if (isFrameColumn(value)) col = value;
  else if (value instanceof Float64Array) col = { kind: 'numeric', values: value };
  else if (ArrayBuffer.isView(value)) col = { kind: 'numeric', values: Float64Array.from(value as ArrayLike<number>) };
  else if (Array.isArray(value)) {
    const text = value.some((v) => typeof v === 'string');
    if (text) {
      const bad = value.findIndex((v) => v !== null && v !== undefined && typeof v !== 'string');
      if (bad >= 0) throw new DTypeError(`assign: column '${name}' mixes text and ${typeof value[bad]} (at row ${bad}); pass text or numbers`);
      col = categoricalColumn(value.map((v) => (v ?? null) as string | null));
    } else {
      const bad = value.findIndex((v) => v !== null && v !== undefined && typeof v !== 'number' && typeof v !== 'boolean');
      if (bad >= 0) throw new DTypeError(`assign: column '${name}' has a ${typeof value[bad]} at row ${bad}; pass numbers or text`);
      col = { kind: 'numeric', values: Float64Array.from(value, (v) => (v === null || v === undefined ? NaN : Number(v))) };
    }
  } else throw new DTypeError(`assign: column '${name}' must be a Frame column, a Float64Array, or an array of numbers or text`);
  const len = columnLength(col);
  if (len !== rows) throw new LengthError(`assign: column '${name}' has ${len} rows, the frame has ${rows}`);
  return col;
}
