/**
 * readParquetFrame: a Parquet file straight into a Frame. Text columns are decoded into
 * categorical codes without a string per row — each column chunk's dictionary entries are
 * interned once into the column's labels and its codes remapped through a small table (PLAIN
 * pages intern value by value) — then the labels sorted once. The Frame is the one
 * `Frame.fromTable(await readParquet(path, opts), kinds)` gives, at a fraction of the work.
 */
import { ParamError } from '../core/errors.js';
import { categoricalColumn, categoricalFromCodes, type FrameColumn, newColumns } from './column.js';
import { Frame } from './frame.js';
import { openParquet, readFooterColumns, type ReadParquetOptions } from './parquet.js';

export interface ReadParquetFrameOptions extends ReadParquetOptions {
  /** Numeric columns to mark as datetime (epoch ms) or boolean, as Frame.fromTable's kinds. */
  kinds?: Record<string, 'datetime' | 'boolean'>;
}

export async function readParquetFrame(path: string, opts: ReadParquetFrameOptions = {}): Promise<Frame> {
  const { footer, names, rowStart, rowEnd, signal } = await openParquet(path, opts, 'readParquetFrame', ['kinds']);
  const kinds = opts.kinds ?? {};
  if (kinds === null || typeof kinds !== 'object' || Array.isArray(kinds))
    throw new ParamError("readParquetFrame: kinds must be an object of column name → 'datetime' | 'boolean'");
  for (const [n, k] of Object.entries(kinds)) {
    if (k !== 'datetime' && k !== 'boolean') throw new ParamError(`readParquetFrame: kinds.${n} must be 'datetime' or 'boolean', got ${JSON.stringify(k)}`);
    if (!names.includes(n)) throw new ParamError(`readParquetFrame: kinds names column '${n}', which is not read; read it (columns) or leave it out of kinds`);
  }
  const read = await readFooterColumns(footer, names, rowStart, rowEnd, `readParquetFrame: ${path}`, signal, true);
  const out = newColumns();
  for (const n of names) {
    const c = read[n];
    let col: FrameColumn;
    // text comes as strings or, from the flat decoder, as a CodeColumn: told apart by shape
    if (c instanceof Float64Array) col = { kind: kinds[n] ?? 'numeric', values: c };
    else if (Array.isArray(c)) col = categoricalColumn(c);
    else col = categoricalFromCodes(c.codes, c.labels);
    if (kinds[n] && col.kind === 'categorical') throw new ParamError(`readParquetFrame: kinds.${n} is '${kinds[n]}' but column '${n}' is text`);
    out[n] = col;
  }
  return new Frame(out);
}
