/**
 * CSV loading (csv-parse, streamed): quoted fields, a header row, column types inferred per
 * column (number, ISO date as epoch ms, else string) or given, missing-value tokens, and rows
 * with the wrong field count reported (or refused) by line number.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DataFormatError, ParamError } from '../core/errors.js';
import { checkOptions, checkSignal } from '../core/validate.js';
import type { Column, Table } from './table.js';

export type CsvColumnType = 'number' | 'string' | 'date';

export interface ReadCsvOptions {
  delimiter?: string;
  /** Only these columns (all by default). */
  columns?: string[];
  /** Column types that override inference. */
  types?: Record<string, CsvColumnType>;
  /** Cell values that mean missing (default '', 'NA', 'N/A', 'NaN', 'null'). */
  missing?: string[];
  /** Rows with the wrong number of fields: refuse the file (default) or skip and report them. */
  badRows?: 'error' | 'skip';
  /** Aborting stops the read and rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface CsvTable extends Table {
  /** The type each column was read as. */
  types: Record<string, CsvColumnType>;
  /** Skipped rows (badRows: 'skip'): 1-based line number and why. */
  badRows: { line: number; reason: string }[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export async function readCsv(path: string, opts: ReadCsvOptions = {}): Promise<CsvTable> {
  checkOptions(opts, ['delimiter', 'columns', 'types', 'missing', 'badRows', 'signal'], 'readCsv');
  const signal = checkSignal(opts.signal, 'readCsv');
  const badRowsMode = opts.badRows ?? 'error';
  if (badRowsMode !== 'error' && badRowsMode !== 'skip') throw new ParamError("readCsv: badRows must be 'error' or 'skip'");
  const isFile = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) throw new ParamError(`readCsv: no file at ${path}; check the path`);
  const missing = new Set(opts.missing ?? ['', 'NA', 'N/A', 'NaN', 'null']);
  const { parse } = await import('csv-parse');
  const file = createReadStream(path);
  const parser = file.pipe(parse({ delimiter: opts.delimiter ?? ',', relax_column_count: true, bom: true, info: true }));
  let header: string[] | undefined;
  let cells: string[][] = [];
  const badRows: { line: number; reason: string }[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      signal?.throwIfAborted();
      if (!header) {
        header = record;
        cells = header.map(() => []);
        continue;
      }
      if (record.length !== header.length) {
        const reason = `has ${record.length} fields, the header has ${header.length}`;
        if (badRowsMode === 'error') throw new DataFormatError(`readCsv: ${path} line ${info.lines} ${reason}; fix the row or pass badRows: 'skip'`);
        badRows.push({ line: info.lines, reason });
        continue;
      }
      for (let c = 0; c < record.length; c++) cells[c].push(record[c]);
    }
  } catch (e) {
    signal?.throwIfAborted();
    if (e instanceof DataFormatError) throw e;
    throw new DataFormatError(`readCsv: ${path} is not valid CSV (${(e as Error).message})`, { cause: e });
  } finally {
    file.destroy(); // an early exit (bad row, abort) must not leave the file open
  }
  signal?.throwIfAborted();
  if (!header) throw new DataFormatError(`readCsv: ${path} is empty; a header row is needed`);
  const names = opts.columns ?? header;
  const absent = names.filter((n) => !header!.includes(n));
  if (absent.length) throw new ParamError(`readCsv: no column ${absent.map((a) => `'${a}'`).join(', ')} in ${path}; it has ${header.join(', ')}`);
  const columns: Record<string, Column> = {},
    types: Record<string, CsvColumnType> = {};
  for (const name of names) {
    const raw = cells[header.indexOf(name)];
    const type = opts.types?.[name] ?? inferType(raw, missing);
    types[name] = type;
    columns[name] = convert(raw, type, missing, name, path);
  }
  return { rows: cells[0]?.length ?? 0, columns, types, badRows };
}

function inferType(raw: string[], missing: Set<string>): CsvColumnType {
  let numbers = true,
    dates = true,
    any = false;
  for (const v of raw) {
    if (missing.has(v)) continue;
    any = true;
    if (numbers && (v.trim() === '' || !Number.isFinite(Number(v)))) numbers = false;
    if (dates && !ISO_DATE.test(v)) dates = false;
    if (!numbers && !dates) return 'string';
  }
  return !any || numbers ? 'number' : 'date';
}

function convert(raw: string[], type: CsvColumnType, missing: Set<string>, name: string, path: string): Column {
  if (type === 'string') return raw.map((v) => (missing.has(v) ? null : v));
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (missing.has(v)) {
      out[i] = NaN;
      continue;
    }
    const x = type === 'number' ? Number(v) : Date.parse(v);
    if (Number.isNaN(x))
      throw new DataFormatError(
        `readCsv: ${path} column '${name}' row ${i + 1} is '${v}', not a ${type}; give types: { '${name}': 'string' } or mark it missing`,
      );
    out[i] = x;
  }
  return out;
}
