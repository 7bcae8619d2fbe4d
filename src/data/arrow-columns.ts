/**
 * Arrow vectors into kiln's column arrays without an object per value: numbers chunk by chunk from
 * their typed arrays (64-bit integers from their two 32-bit halves, not a BigInt each; nulls from
 * the validity bitmap), dictionary text as codes with each entry it uses interned once. What they
 * do not cover (half floats, decimals, dates, booleans, 64-bit dictionary indices) returns null,
 * and the caller reads it value by value.
 */
import type { Data, Vector } from 'apache-arrow';
import { DataFormatError } from '../core/errors.js';
import { CodeColumn, categoricalFromCodes, type FrameColumn } from './column.js';

/** apache-arrow, passed in by its caller: the module stays loaded on first use. */
type ArrowModule = typeof import('apache-arrow');
type NumberArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

/** A chunk's validity bitmap where it has nulls, else null (every row holds a value). */
function nullBitmap(data: Data): Uint8Array | null {
  const bitmap = data.nullBitmap;
  return data.nullCount > 0 && bitmap !== undefined && bitmap.length > 0 ? bitmap : null;
}

/** Row i of a chunk is null: its bit (after the chunk's offset) is clear. */
function isNull(bitmap: Uint8Array, offset: number, i: number): boolean {
  const bit = offset + i;
  return (bitmap[bit >> 3] & (1 << (bit & 7))) === 0;
}

/** An integer or float (32/64-bit) vector as f64, nulls as NaN; null for other types. A chunk with fewer values than rows is refused. */
export function numericValues(arrow: ArrowModule, vector: Vector, what: string): Float64Array | null {
  const { DataType, Precision } = arrow;
  const type = vector.type;
  const int = DataType.isInt(type);
  if (!(int || (DataType.isFloat(type) && type.precision !== Precision.HALF))) return null;
  const out = new Float64Array(vector.length);
  let at = 0;
  for (const data of vector.data) {
    const n = data.length,
      values = data.values as NumberArray | BigInt64Array | BigUint64Array;
    if (values.length < n) throw new DataFormatError(`${what}: a chunk of ${n} rows holds ${values.length} values; the file is damaged`);
    if (int && type.bitWidth === 64) {
      // Little-endian halves; high * 2^32 + low rounds once, as Number(bigint).
      const halves = new Int32Array(values.buffer, values.byteOffset, 2 * n);
      if (type.isSigned) for (let i = 0; i < n; i++) out[at + i] = halves[2 * i + 1] * 4294967296 + (halves[2 * i] >>> 0);
      else for (let i = 0; i < n; i++) out[at + i] = (halves[2 * i + 1] >>> 0) * 4294967296 + (halves[2 * i] >>> 0);
    } else {
      out.set((values as NumberArray).subarray(0, n), at); // exact: every 8- to 32-bit integer and float32 is an f64
    }
    const bitmap = nullBitmap(data);
    if (bitmap) for (let i = 0; i < n; i++) if (isNull(bitmap, data.offset, i)) out[at + i] = NaN;
    at += n;
  }
  return out;
}

/**
 * A dictionary vector of text as a categorical column (categoricalColumn's labels and codes), each
 * chunk's indices mapped through its own dictionary; null for dictionaries of other types or
 * 64-bit indices. An index outside its dictionary (a damaged file) is refused.
 */
export function dictionaryCodes(arrow: ArrowModule, vector: Vector, what: string): FrameColumn | null {
  const column = new CodeColumn(vector.length);
  let at = 0;
  for (const data of vector.data) {
    const dictionary = data.dictionary;
    const indices = data.values as NumberArray | BigInt64Array | BigUint64Array;
    if (dictionary === undefined || indices instanceof BigInt64Array || indices instanceof BigUint64Array) return null;
    if (!(arrow.DataType.isUtf8(dictionary.type) || arrow.DataType.isLargeUtf8(dictionary.type))) return null;
    // Each entry's code once it is first used (-2: not yet); unused entries get no label.
    const codeOf = new Int32Array(dictionary.length).fill(-2);
    const bitmap = nullBitmap(data);
    for (let i = 0; i < data.length; i++) {
      if (bitmap && isNull(bitmap, data.offset, i)) {
        column.codes[at + i] = -1;
        continue;
      }
      const k = indices[i];
      if (!(k >= 0 && k < codeOf.length))
        throw new DataFormatError(`${what}: row ${at + i} has dictionary index ${k}, outside its dictionary of ${codeOf.length} entries; the file is damaged`);
      let c = codeOf[k];
      if (c === -2) {
        const label = dictionary.get(k);
        c = codeOf[k] = column.code(label === null || label === undefined ? null : String(label));
      }
      column.codes[at + i] = c;
    }
    at += data.length;
  }
  return categoricalFromCodes(column.codes, column.labels);
}

/**
 * A text vector (or a dictionary vector dictionaryCodes does not cover) as a categorical column,
 * each value interned as it is read. No value (a dictionary index outside its dictionary) is refused.
 */
export function textCodes(vector: Vector, what: string): FrameColumn {
  const column = new CodeColumn(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const v = vector.get(i);
    if (v === undefined) throw new DataFormatError(`${what}: row ${i} has no value (an index outside its dictionary?); the file is damaged`);
    column.codes[i] = column.code(v === null ? null : String(v));
  }
  return categoricalFromCodes(column.codes, column.labels);
}
