/**
 * Reading a file in batches of rows, for scoring files larger than memory. CSV streams through
 * csv-parse (the stream pauses while a batch is scored, so at most one batch of rows is held);
 * Parquet is read one row group at a time (a column chunk is decoded whole, so a row group
 * is the smallest unit it reads) and cut into batches. Memory is bounded by the batch size (CSV)
 * or the largest row group (Parquet), never by the file's length.
 */
import { createReadStream } from 'node:fs';
import { DataFormatError, ParamError } from '../core/errors.js';
import { readFooterRows, readParquetFooter } from './parquet.js';
import { MISSING } from './read.js';
import type { DataSource } from './source.js';
import type { Column, Table } from './table.js';

export interface Batch extends Table {
  /** Index of the batch's first row in the file (0-based, data rows). */
  offset: number;
}

export interface BatchSource {
  /** Data rows in the file when known up front (Parquet), else undefined. */
  readonly totalRows: number | undefined;
  /** Bytes in the file and read so far (CSV), for progress when the row count is unknown. */
  readonly bytes: { total: number; read: number } | undefined;
  /** Most rows held in memory at once by the reader so far. */
  readonly peakBufferedRows: number;
  batches(): AsyncGenerator<Batch>;
}

export interface BatchOptions {
  /** The columns to read. */
  columns: string[];
  batchSize: number;
  /** Stop after this many rows. */
  limit?: number;
  /** Extra missing-value tokens. */
  missing?: string[];
}

export async function openBatches(src: DataSource, opts: BatchOptions): Promise<BatchSource> {
  if (src.format === 'csv' || src.format === 'tsv') return csvBatches(src, opts);
  if (src.format === 'parquet') return parquetBatches(src, opts);
  throw new ParamError(`--in: batch scoring reads .csv, .tsv and .parquet files; ${src.spec} is ${src.format} (convert it, or use \`kiln evaluate\`)`);
}

/** Header-indexed CSV records into batches of text columns (missing tokens → null). */
async function csvBatches(src: DataSource, opts: BatchOptions): Promise<BatchSource> {
  const { stat } = await import('node:fs/promises');
  const { parse } = await import('csv-parse');
  const total = (await stat(src.path)).size;
  const tokens = new Set([...MISSING, ...(opts.missing ?? [])]);
  const limit = opts.limit ?? Infinity;
  const state = { read: 0, peak: 0 };
  return {
    totalRows: undefined,
    get bytes() {
      return { total, read: state.read };
    },
    get peakBufferedRows() {
      return state.peak;
    },
    async *batches() {
      const file = createReadStream(src.path);
      file.on('data', (chunk) => {
        state.read += chunk.length;
      });
      const parser = file.pipe(parse({ delimiter: src.format === 'tsv' ? '\t' : ',', bom: true, relax_column_count: true, info: true }));
      let index: number[] | undefined,
        width = 0;
      let cols: (string | null)[][] = [];
      let n = 0,
        offset = 0;
      const flush = (): Batch => {
        const columns: Record<string, Column> = {};
        opts.columns.forEach((name, j) => {
          columns[name] = cols[j];
        });
        const b: Batch = { rows: n, columns, offset };
        offset += n;
        n = 0;
        cols = opts.columns.map(() => new Array<string | null>(opts.batchSize));
        return b;
      };
      try {
        for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
          if (!index) {
            const header = record;
            const absent = opts.columns.filter((c) => !header.includes(c));
            if (absent.length)
              throw new ParamError(
                `--in: no column ${absent.map((a) => JSON.stringify(a)).join(', ')} in ${src.spec}; the model needs ${opts.columns.join(', ')} (the file has ${header.join(', ')})`,
              );
            index = opts.columns.map((c) => header.indexOf(c));
            width = header.length;
            cols = opts.columns.map(() => new Array<string | null>(opts.batchSize));
            continue;
          }
          if (offset + n >= limit) break;
          if (record.length !== width) throw new DataFormatError(`${src.spec} line ${info.lines} has ${record.length} fields, the header has ${width}`);
          for (let j = 0; j < index.length; j++) {
            const v = record[index[j]];
            cols[j][n] = tokens.has(v) ? null : v;
          }
          n++;
          if (n > state.peak) state.peak = n;
          if (n === opts.batchSize) yield flush();
        }
      } catch (e) {
        if (e instanceof ParamError || e instanceof DataFormatError) throw e;
        throw new DataFormatError(`${src.spec} is not valid CSV (${(e as Error).message})`, { cause: e });
      } finally {
        file.destroy();
      }
      if (!index) throw new DataFormatError(`${src.spec} is empty; a header row is needed`);
      if (n > 0) {
        for (const c of cols) c.length = n;
        yield flush();
      }
    },
  };
}

/** Row groups of a Parquet file, each read whole (only the needed columns) and cut into batches. */
async function parquetBatches(src: DataSource, opts: BatchOptions): Promise<BatchSource> {
  const footer = await readParquetFooter(src.path, src.spec);
  const { rowGroups: groups, columns: names } = footer;
  const absent = opts.columns.filter((c) => !names.includes(c));
  if (absent.length)
    throw new ParamError(
      `--in: no column ${absent.map((a) => JSON.stringify(a)).join(', ')} in ${src.spec}; the model needs ${opts.columns.join(', ')} (the file has ${names.join(', ')})`,
    );
  const fileRows = groups.reduce((a, b) => a + b, 0);
  const totalRows = Math.min(fileRows, opts.limit ?? Infinity);
  const state = { peak: 0 };
  return {
    totalRows,
    bytes: undefined,
    get peakBufferedRows() {
      return state.peak;
    },
    async *batches() {
      let start = 0;
      for (const size of groups) {
        const end = Math.min(start + size, totalRows);
        if (start >= end) break;
        const group = await readFooterRows(footer, opts.columns, start, end, src.spec);
        state.peak = Math.max(state.peak, group.rows);
        for (let at = 0; at < group.rows; at += opts.batchSize) {
          const stop = Math.min(at + opts.batchSize, group.rows);
          const columns: Record<string, Column> = {};
          for (const name of opts.columns) {
            const c = group.columns[name];
            columns[name] = c instanceof Float64Array ? c.subarray(at, stop) : c.slice(at, stop);
          }
          yield { rows: stop - at, columns, offset: start + at };
        }
        start = end;
      }
    },
  };
}
