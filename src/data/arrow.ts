/**
 * Apache Arrow interop (apache-arrow): Arrow tables and IPC files to Frames and back. A
 * single-chunk float64 column without nulls is shared, not copied; other numeric types are
 * widened to f64 with nulls as NaN (integers and floats chunk by chunk: arrow-columns.ts);
 * dictionary and utf8 columns become categoricals (dictionary indices straight into codes).
 */
import { readFile } from 'node:fs/promises';
import { DataFormatError, DTypeError, ParamError } from '../core/errors.js';
import { checkOptions, checkSignal } from '../core/validate.js';
import { dictionaryCodes, numericValues, textCodes } from './arrow-columns.js';
import type { FrameColumn } from './column.js';
import { Frame } from './frame.js';

type ArrowModule = typeof import('apache-arrow');
type ArrowTable = import('apache-arrow').Table;

async function arrow(): Promise<ArrowModule> {
  return import('apache-arrow'); // loaded on first use, like the Parquet reader
}

/** A Frame over an Arrow table's columns. */
export async function frameFromArrow(table: ArrowTable): Promise<Frame> {
  const module = await arrow();
  const { Type, DataType } = module;
  const out: Record<string, FrameColumn> = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    const t = field.type;
    if (DataType.isFloat(t) || DataType.isInt(t) || DataType.isDecimal(t) || DataType.isBool(t) || DataType.isTimestamp(t) || DataType.isDate(t)) {
      const kind = DataType.isBool(t) ? 'boolean' : DataType.isTimestamp(t) || DataType.isDate(t) ? 'datetime' : 'numeric';
      // One null-free float64 chunk is shared; anything else is read once into a new array.
      const shared = kind === 'numeric' && t.typeId === Type.Float && vector.data.length === 1 && vector.nullCount === 0 ? vector.toArray() : null;
      const values =
        shared instanceof Float64Array
          ? shared
          : ((kind === 'numeric' ? numericValues(module, vector, `frameFromArrow: column '${field.name}'`) : null) ??
            Float64Array.from({ length: vector.length }, (_, i) => {
              const v = vector.get(i);
              return v === null || v === undefined ? NaN : v instanceof Date ? v.getTime() : Number(v);
            }));
      out[field.name] = { kind, values };
    } else if (DataType.isDictionary(t)) {
      const what = `frameFromArrow: column '${field.name}'`;
      out[field.name] = dictionaryCodes(module, vector, what) ?? textCodes(vector, what);
    } else if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) {
      out[field.name] = textCodes(vector, `frameFromArrow: column '${field.name}'`);
    } else {
      throw new DTypeError(`frameFromArrow: column '${field.name}' has Arrow type ${String(t)}, which kiln does not read; drop or cast it`);
    }
  }
  return new Frame(out);
}

/** An Arrow table of the Frame: numeric columns as float64 (NaN kept), categoricals as dictionary<utf8>. */
export async function frameToArrow(frame: Frame): Promise<ArrowTable> {
  const { Table, vectorFromArray, Dictionary, Utf8, Int32 } = await arrow();
  const vectors: Record<string, import('apache-arrow').Vector> = {};
  for (const name of frame.columnNames) {
    const c = frame.column(name);
    vectors[name] =
      c.kind === 'categorical'
        ? vectorFromArray(
            Array.from(c.codes, (k) => (k < 0 ? null : c.labels[k])),
            new Dictionary(new Utf8(), new Int32()),
          )
        : vectorFromArray(c.values);
  }
  return new Table(vectors);
}

/** Reads an Arrow IPC file (stream or file format) into a Frame; `signal` aborts the read. */
export async function readArrow(path: string, opts: { signal?: AbortSignal } = {}): Promise<Frame> {
  checkOptions(opts, ['signal'], 'readArrow');
  const signal = checkSignal(opts.signal, 'readArrow');
  if (typeof path !== 'string') throw new ParamError('readArrow: path must be a file path string');
  const bytes = await readFile(path, { signal }).catch((e: unknown) => {
    signal?.throwIfAborted();
    throw new ParamError(`readArrow: no file at ${path}; check the path (${(e as Error).message})`);
  });
  const { tableFromIPC } = await arrow();
  let table: ArrowTable;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new DataFormatError(`readArrow: ${path} is not an Arrow IPC file (${(e as Error).message})`, { cause: e });
  }
  if (table.schema.fields.length === 0) throw new DataFormatError(`readArrow: ${path} holds no Arrow columns`);
  return frameFromArrow(table);
}
