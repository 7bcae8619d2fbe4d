/**
 * Parquet loading (hyparquet, with hyparquet-compressors for ZSTD/GZIP/Brotli/LZ4): columns
 * come back typed for the transformers — numbers, timestamps and booleans as Float64Array
 * (null → NaN, timestamps as epoch milliseconds), strings as arrays with null for missing.
 */
import { stat } from 'node:fs/promises';
import { DataFormatError, ParamError } from '../core/errors.js';
import { checkOptions, checkSignal } from '../core/validate.js';
import type { AsyncBuffer, Compressors, FileMetaData, SchemaTree } from 'hyparquet';
import { CodeColumn } from './column.js';
import type { Column, Table } from './table.js';

export interface ReadParquetOptions {
  /** Only these columns (all by default). */
  columns?: string[];
  /** Row range [rowStart, rowEnd) to read. */
  rowStart?: number;
  rowEnd?: number;
  /** Aborting stops the read and rejects with the signal's reason. */
  signal?: AbortSignal;
}

const TEXT_TYPES = new Set(['BYTE_ARRAY', 'FIXED_LEN_BYTE_ARRAY']);

/** A Parquet file's footer: its columns and row groups, read without touching the rows. */
export interface ParquetFooter {
  file: AsyncBuffer;
  metadata: FileMetaData;
  /** The schema's root; its children are the top-level columns. */
  schema: SchemaTree;
  /** The top-level schema elements, in file order. */
  leaves: SchemaTree[];
  columns: string[];
  /** Rows per row group. */
  rowGroups: number[];
}

/** Reads the footer of the Parquet file at `path`; `subject` names it in the error when it is not Parquet. */
export async function readParquetFooter(path: string, subject: string = path): Promise<ParquetFooter> {
  // loaded on first use: importing kiln should not pay for (or depend on) the Parquet reader
  const { asyncBufferFromFile, parquetMetadataAsync, parquetSchema } = await import('hyparquet');
  try {
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    const schema = parquetSchema(metadata);
    const leaves = schema.children;
    return { file, metadata, schema, leaves, columns: leaves.map((c) => c.element.name), rowGroups: metadata.row_groups.map((g) => Number(g.num_rows)) };
  } catch (e) {
    throw new DataFormatError(`${subject} is not a readable Parquet file (${(e as Error).message})`, { cause: e });
  }
}

export async function readParquet(path: string, opts: ReadParquetOptions = {}): Promise<Table> {
  const { footer, names, rowStart, rowEnd, signal } = await openParquet(path, opts, 'readParquet', []);
  return readFooterRows(footer, names, rowStart, rowEnd, `readParquet: ${path}`, signal);
}

/** What a checked read of a Parquet file needs: its footer, the column names and the row range. */
export interface ParquetRead {
  footer: ParquetFooter;
  names: string[];
  rowStart: number;
  rowEnd: number;
  signal: AbortSignal | undefined;
}

/**
 * The checks of a whole-file read (`fn` names the caller in errors; `extra` are the caller's
 * own option names): options, the file, the columns asked for and the row range, then the footer.
 */
export async function openParquet(path: string, opts: ReadParquetOptions, fn: string, extra: string[]): Promise<ParquetRead> {
  checkOptions(opts, ['columns', 'rowStart', 'rowEnd', 'signal', ...extra], fn);
  const signal = checkSignal(opts.signal, fn);
  if (typeof path !== 'string') throw new ParamError(`${fn}: path must be a file path string`);
  const size = await stat(path).then(
    (s) => (s.isFile() ? s.size : -1),
    () => -1,
  );
  if (size < 0) throw new ParamError(`${fn}: no file at ${path}; check the path`);
  const footer = await readParquetFooter(path, `${fn}: ${path}`);
  const { metadata, columns: available } = footer;
  const names = opts.columns ?? available;
  const missing = names.filter((n) => !available.includes(n));
  if (missing.length) throw new ParamError(`${fn}: no column ${missing.map((m) => `'${m}'`).join(', ')} in ${path}; it has ${available.join(', ')}`);
  const total = Number(metadata.num_rows);
  const rowStart = opts.rowStart ?? 0,
    rowEnd = Math.min(opts.rowEnd ?? total, total);
  if (!Number.isInteger(rowStart) || !Number.isInteger(rowEnd) || rowStart < 0 || rowStart > rowEnd) {
    throw new ParamError(`${fn}: rowStart/rowEnd must be integers with 0 <= rowStart <= rowEnd, got ${rowStart}, ${opts.rowEnd}`);
  }
  return { footer, names, rowStart, rowEnd, signal };
}

/**
 * Rows [rowStart, rowEnd) of the named columns of a file whose footer is already read (checked
 * names and range): each column through the flat decoder, the rest through hyparquet.
 * Batch scoring reads a row group at a time this way, without reading the footer again.
 */
export async function readFooterRows(
  footer: ParquetFooter,
  names: string[],
  rowStart: number,
  rowEnd: number,
  subject: string,
  signal?: AbortSignal,
): Promise<Table> {
  const columns = (await readFooterColumns(footer, names, rowStart, rowEnd, subject, signal, false)) as Record<string, Column>;
  return { rows: rowEnd - rowStart, columns };
}

/**
 * readFooterRows' columns; with `codes`, text columns the flat decoder reads come back as
 * CodeColumns (no string per row), and those it leaves as string arrays.
 */
export async function readFooterColumns(
  footer: ParquetFooter,
  names: string[],
  rowStart: number,
  rowEnd: number,
  subject: string,
  signal: AbortSignal | undefined,
  codes: boolean,
): Promise<Record<string, Column | CodeColumn>> {
  const { compressors } = await import('hyparquet-compressors');
  const { leaves } = footer;
  const rows = rowEnd - rowStart;
  const flat = await import('./parquet-flat.js');
  const columns: Record<string, Column | CodeColumn> = {};
  const general: string[] = []; // columns the flat decoder does not handle: hyparquet reads them
  const text = (): (string | null)[] => new Array<string | null>(rows).fill(null);
  try {
    for (const n of names) {
      const index = leaves.findIndex((c) => c.element.name === n);
      const leaf = leaves[index];
      const isText = TEXT_TYPES.has(leaf.element.type ?? '');
      const out = isText ? (codes ? new CodeColumn(rows) : text()) : new Float64Array(rows);
      columns[n] = out;
      try {
        await readFlatColumn(flat, footer, index, compressors, rowStart, rowEnd, out, n, signal);
      } catch (e) {
        if (!(e instanceof flat.NotFlat)) throw e;
        if (out instanceof CodeColumn) columns[n] = text();
        general.push(n);
      }
    }
    if (general.length) await readGeneralColumns(footer, compressors, general, rowStart, rowEnd, columns as Record<string, Column>, signal);
  } catch (e) {
    signal?.throwIfAborted();
    if (e instanceof DataFormatError) throw new DataFormatError(`${subject}: ${e.message}`, { cause: e });
    throw new DataFormatError(`${subject} could not be decoded (${(e as Error).message})`, { cause: e });
  }
  signal?.throwIfAborted();
  return columns;
}

/**
 * Columns through hyparquet's general reader (any column it reads), converted value by value into
 * `columns` (preallocated, rows [rowStart, rowEnd)): the path for what the flat decoder leaves.
 */
export async function readGeneralColumns(
  footer: ParquetFooter,
  compressors: Compressors,
  names: string[],
  rowStart: number,
  rowEnd: number,
  columns: Record<string, Column>,
  signal?: AbortSignal,
): Promise<void> {
  const { parquetRead } = await import('hyparquet');
  const { toNumber } = await import('./parquet-flat.js');
  await parquetRead({
    file: footer.file,
    metadata: footer.metadata,
    compressors,
    columns: names,
    rowStart,
    rowEnd,
    onChunk({ columnName, columnData, rowStart: at }) {
      signal?.throwIfAborted();
      const out = columns[columnName];
      const from = Math.max(at, rowStart);
      const end = Math.min(at + columnData.length, rowEnd);
      for (let r = from; r < end; r++) {
        const v = columnData[r - at];
        if (Array.isArray(out)) out[r - rowStart] = v === null || v === undefined ? null : String(v);
        else out[r - rowStart] = toNumber(v);
      }
    },
  });
}

/** One column's rows [rowStart, rowEnd) through the flat decoder, row group by row group (NotFlat when it cannot). */
async function readFlatColumn(
  flat: typeof import('./parquet-flat.js'),
  { file, metadata, schema }: ParquetFooter,
  index: number,
  compressors: Compressors,
  rowStart: number,
  rowEnd: number,
  out: Column | CodeColumn,
  name: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    const lo = Math.max(rowStart - groupStart, 0),
      hi = Math.min(rowEnd - groupStart, groupRows);
    if (lo < hi) {
      signal?.throwIfAborted();
      const meta = group.columns[index]?.meta_data;
      if (!meta) throw new flat.NotFlat();
      const decoder = flat.flatDecoder(schema.children[index], schema, meta, compressors);
      const [from, to] = flat.chunkRange(meta);
      const bytes = new Uint8Array(await file.slice(from, to));
      flat.decodeFlatChunk(bytes, decoder, lo, hi, out, groupStart + lo - rowStart, name);
    }
    groupStart += groupRows;
  }
}
