/**
 * Reading a data source whole (data/source.ts names the file and its format): the columns asked
 * for, checked against what the file has before its rows are read (Parquet: from the footer), the
 * first `limit` rows. The same reader serves training, evaluation and the CLI, so a model sees
 * its columns alike in each.
 */
import { readFile } from 'node:fs/promises';
import { DataFormatError, ParamError } from '../core/errors.js';
import { readArrow } from './arrow.js';
import { readCsv } from './csv.js';
import { newColumns } from './column.js';
import { Frame } from './frame.js';
import { readParquet, readParquetFooter } from './parquet.js';
import { readParquetFrame } from './parquet-frame.js';
import { fromRecords } from './records.js';
import type { DataSource } from './source.js';
import type { Column, Table } from './table.js';

/** Cell values that mean "missing" everywhere (readCsv's defaults). */
export const MISSING = ['', 'NA', 'N/A', 'NaN', 'null'];

/** Column names of a source without loading its rows (Parquet: the footer only). */
async function parquetColumns(path: string): Promise<string[]> {
  return (await readParquetFooter(path)).columns;
}

/**
 * Loads `columns` of a source (each with where it was asked for, for the message when the source
 * lacks it), the first `limit` rows. String columns keep their text; `asText` columns are read
 * as text even when they look numeric (categorical codes).
 */
export async function readTable(
  src: DataSource,
  columns: Map<string, string>,
  opts: { limit?: number; missing?: string[]; asText?: string[]; signal?: AbortSignal } = {},
): Promise<Table> {
  const names = [...columns.keys()];
  const missing = [...MISSING, ...(opts.missing ?? [])];
  let table: Table;
  const check = (available: string[]) => {
    for (const [name, where] of columns) {
      if (!available.includes(name)) {
        const list = available.length > 40 ? `${available.slice(0, 40).join(', ')}, …` : available.join(', ');
        throw new ParamError(`${where}: no column ${JSON.stringify(name)} in ${src.spec}; it has ${list}`);
      }
    }
  };
  if (src.format === 'parquet') {
    check(await parquetColumns(src.path));
    table = await readParquet(src.path, { columns: names, signal: opts.signal, ...(opts.limit !== undefined ? { rowEnd: opts.limit } : {}) });
  } else if (src.format === 'csv' || src.format === 'tsv') {
    const types = Object.fromEntries((opts.asText ?? []).map((n) => [n, 'string' as const]));
    const all = await readCsv(src.path, { delimiter: src.format === 'tsv' ? '\t' : ',', missing, types, signal: opts.signal });
    check(Object.keys(all.columns));
    table = select(all, names, opts.limit);
  } else if (src.format === 'json') {
    const all = await readJsonRows(src, opts.limit);
    check(Object.keys(all.columns));
    table = select(all, names);
  } else {
    const all = await readArrow(src.path, { signal: opts.signal });
    check(all.columnNames);
    table = select({ rows: all.rows, columns: all.columns }, names, opts.limit);
  }
  return table;
}

function select(t: Table, names: string[], limit?: number): Table {
  const rows = limit === undefined ? t.rows : Math.min(limit, t.rows);
  const columns: Record<string, Column> = {};
  for (const n of names) {
    const c = t.columns[n];
    columns[n] = rows === t.rows ? c : c.slice(0, rows);
  }
  return { rows, columns };
}

/** Every column of a source, the first `limit` rows (what `kiln profile` looks at). */
export async function readAllColumns(src: DataSource, opts: { limit?: number; missing?: string[]; signal?: AbortSignal } = {}): Promise<Table> {
  const names =
    src.format === 'parquet'
      ? await parquetColumns(src.path)
      : src.format === 'arrow'
        ? (await readArrow(src.path, { signal: opts.signal })).columnNames
        : src.format === 'json'
          ? undefined
          : Object.keys(
              (await readCsv(src.path, { delimiter: src.format === 'tsv' ? '\t' : ',', missing: [...MISSING, ...(opts.missing ?? [])], signal: opts.signal }))
                .columns,
            );
  if (names === undefined) return readJsonRows(src, opts.limit);
  return readTable(src, new Map(names.map((n) => [n, src.spec])), opts);
}

/**
 * Every column of a source as a Frame (what `kiln profile` looks at), the column `time` as
 * datetime when it was read as numbers. Parquet text goes straight into categorical codes
 * (readParquetFrame); the other formats through their table and Frame.fromTable — the same Frame.
 */
export async function readAllColumnsFrame(
  src: DataSource,
  opts: { limit?: number; missing?: string[]; signal?: AbortSignal; time?: string } = {},
): Promise<Frame> {
  const { time, ...rest } = opts;
  if (src.format === 'parquet') {
    const frame = await readParquetFrame(src.path, { signal: opts.signal, ...(opts.limit !== undefined ? { rowEnd: opts.limit } : {}) });
    const t = time !== undefined && frame.columnNames.includes(time) ? frame.column(time) : undefined;
    if (t?.kind !== 'numeric') return frame;
    const columns = newColumns();
    for (const n of frame.columnNames) columns[n] = n === time ? { kind: 'datetime', values: t.values } : frame.column(n);
    return new Frame(columns);
  }
  const table = await readAllColumns(src, rest);
  return Frame.fromTable(table, time && table.columns[time] instanceof Float64Array ? { [time]: 'datetime' } : {});
}

/** A JSON file of row objects as a table (the first `limit` rows). */
async function readJsonRows(src: DataSource, limit?: number): Promise<Table> {
  let records: unknown;
  try {
    records = JSON.parse(await readFile(src.path, 'utf8'));
  } catch (e) {
    throw new DataFormatError(`${src.spec} is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  if (!Array.isArray(records)) throw new DataFormatError(`${src.spec} should hold an array of row objects`);
  return fromRecords(limit !== undefined ? records.slice(0, limit) : records);
}
