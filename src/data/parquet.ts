/**
 * Parquet loading (hyparquet, with hyparquet-compressors for ZSTD/GZIP/Brotli/LZ4): columns
 * come back typed for the transformers — numbers, timestamps and booleans as Float64Array
 * (null → NaN, timestamps as epoch milliseconds), strings as arrays with null for missing.
 */
import { stat } from 'node:fs/promises';
import { DataFormatError, ParamError } from '../core/errors.js';
import { checkOptions, checkSignal } from '../core/validate.js';
import type { AsyncBuffer, FileMetaData, SchemaTree } from 'hyparquet';
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
    const leaves = parquetSchema(metadata).children;
    return { file, metadata, leaves, columns: leaves.map((c) => c.element.name), rowGroups: metadata.row_groups.map((g) => Number(g.num_rows)) };
  } catch (e) {
    throw new DataFormatError(`${subject} is not a readable Parquet file (${(e as Error).message})`, { cause: e });
  }
}

export async function readParquet(path: string, opts: ReadParquetOptions = {}): Promise<Table> {
  checkOptions(opts, ['columns', 'rowStart', 'rowEnd', 'signal'], 'readParquet');
  const signal = checkSignal(opts.signal, 'readParquet');
  if (typeof path !== 'string') throw new ParamError('readParquet: path must be a file path string');
  const size = await stat(path).then(
    (s) => (s.isFile() ? s.size : -1),
    () => -1,
  );
  if (size < 0) throw new ParamError(`readParquet: no file at ${path}; check the path`);
  const { parquetRead } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  const { file, metadata, leaves, columns: available } = await readParquetFooter(path, `readParquet: ${path}`);
  const names = opts.columns ?? available;
  const missing = names.filter((n) => !available.includes(n));
  if (missing.length) throw new ParamError(`readParquet: no column ${missing.map((m) => `'${m}'`).join(', ')} in ${path}; it has ${available.join(', ')}`);
  const total = Number(metadata.num_rows);
  const rowStart = opts.rowStart ?? 0,
    rowEnd = Math.min(opts.rowEnd ?? total, total);
  if (!Number.isInteger(rowStart) || !Number.isInteger(rowEnd) || rowStart < 0 || rowStart > rowEnd) {
    throw new ParamError(`readParquet: rowStart/rowEnd must be integers with 0 <= rowStart <= rowEnd, got ${rowStart}, ${opts.rowEnd}`);
  }
  const rows = rowEnd - rowStart;
  const columns: Record<string, Column> = {};
  for (const n of names) {
    const leaf = leaves.find((c) => c.element.name === n)!;
    columns[n] = TEXT_TYPES.has(leaf.element.type ?? '') ? new Array<string | null>(rows).fill(null) : new Float64Array(rows);
  }
  try {
    await parquetRead({
      file,
      metadata,
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
  } catch (e) {
    signal?.throwIfAborted();
    throw new DataFormatError(`readParquet: ${path} could not be decoded (${(e as Error).message})`, { cause: e });
  }
  signal?.throwIfAborted();
  return { rows, columns };
}

function toNumber(v: unknown): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  return NaN;
}
