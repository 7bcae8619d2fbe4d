/**
 * Tables for the CLI: the cleaning steps of a train config, and the feature columns typed the way the saved pipeline takes them — the same code
 * for training, evaluation and batch scoring, so a model sees its features alike in all three.
 */
import { DataFormatError } from '../core/errors.js';
import { dropDuplicates, filterRows } from '../data/clean.js';
import { parseDateText } from '../data/dates.js';
import { MISSING } from '../data/read.js';
import type { Column, Table } from '../data/table.js';
import type { Label } from '../metrics/index.js';
import type { Task } from './estimators.js';

/**
 * How a model's input columns are read: what `kiln train` recorded in the model file (tag
 * `kiln.cli`), and what evaluate and predict apply again.
 */
export interface FeatureSpec {
  numeric: string[];
  categorical: string[];
  datetime: string[];
  /** Extra missing-value tokens (besides MISSING). */
  missing: string[];
  /** The category a missing categorical value becomes. */
  categoricalMissing: string;
  /**
   * True when the model's pipeline fills missing categories itself (models kiln train writes now):
   * featureTable then leaves them null. Absent in older model files, whose pipelines take no
   * missing category, so featureTable fills them with categoricalMissing first.
   */
  categoricalImputed?: boolean;
  target: string;
  task: Task;
}

export const featureNames = (s: Pick<FeatureSpec, 'numeric' | 'categorical' | 'datetime'>): string[] => [...s.numeric, ...s.categorical, ...s.datetime];

/** Text cells equal to a missing token become null (numbers are already NaN where missing). */
export function markMissing(col: Column, tokens: Set<string>): Column {
  if (col instanceof Float64Array) return col;
  let changed = false;
  for (const v of col)
    if (v !== null && tokens.has(v)) {
      changed = true;
      break;
    }
  return changed ? col.map((v) => (v !== null && tokens.has(v) ? null : v)) : col;
}

const isMissing = (col: Column, r: number) => (col instanceof Float64Array ? Number.isNaN(col[r]) : col[r] === null);

/** Numbers from a column: text that parses as numbers (e.g. a CSV read without types), else E_DATA_FORMAT. */
function toNumbers(col: Column, name: string, what: string, parse: (s: string) => number): Float64Array {
  if (col instanceof Float64Array) return col;
  const out = new Float64Array(col.length);
  for (let r = 0; r < col.length; r++) {
    const v = col[r];
    if (v === null) {
      out[r] = NaN;
      continue;
    }
    const x = parse(v);
    if (Number.isNaN(x))
      throw new DataFormatError(
        `column ${JSON.stringify(name)} row ${r + 1} is ${JSON.stringify(v)}, not ${what}; fix the data, mark it missing, or list the column under another feature kind`,
      );
    out[r] = x;
  }
  return out;
}

const parseNumber = (s: string) => (s.trim() === '' ? NaN : Number(s));

/**
 * The feature columns as the pipeline takes them, in the recorded order: numeric and datetime
 * columns as Float64Array (dates as epoch ms, missing NaN), categorical columns as text, missing
 * null (the pipeline imputes them) or, for older models, the recorded category.
 */
export function featureTable(t: Table, spec: FeatureSpec): Table {
  const tokens = new Set([...MISSING, ...spec.missing]);
  const columns: Record<string, Column> = {};
  for (const n of spec.numeric) columns[n] = toNumbers(markMissing(t.columns[n], tokens), n, 'a number', parseNumber);
  for (const n of spec.categorical) {
    const col = markMissing(t.columns[n], tokens);
    const text = col instanceof Float64Array ? Array.from(col, (v) => (Number.isNaN(v) ? null : String(v))) : col;
    if (spec.categoricalImputed) {
      columns[n] = text;
      continue;
    }
    const fill = spec.categoricalMissing === 'drop' ? '(missing)' : spec.categoricalMissing; // 'drop' applies to training rows only
    columns[n] = text.map((v) => v ?? fill);
  }
  for (const n of spec.datetime) columns[n] = toNumbers(markMissing(t.columns[n], tokens), n, 'a date', parseDateText);
  return { rows: t.rows, columns };
}

export interface CleanReport {
  rowsIn: number;
  missingTarget: number;
  missingCategory: number;
  duplicates: number;
  rowsOut: number;
}

/** A train config's cleaning: drop rows without a target, rows with a missing category ('drop'), duplicates. */
export function cleanRows(
  t: Table,
  spec: FeatureSpec,
  opts: { dropMissingTarget: boolean; dropDuplicates: boolean },
  where: { target: string; clean: string },
): { table: Table; report: CleanReport } {
  const tokens = new Set([...MISSING, ...spec.missing]);
  const columns = Object.fromEntries(Object.entries(t.columns).map(([n, c]) => [n, markMissing(c, tokens)]));
  let table: Table = { rows: t.rows, columns };
  const report: CleanReport = { rowsIn: t.rows, missingTarget: 0, missingCategory: 0, duplicates: 0, rowsOut: t.rows };
  const y = table.columns[spec.target];
  const keep = new Uint8Array(table.rows).fill(1);
  for (let r = 0; r < table.rows; r++)
    if (isMissing(y, r)) {
      keep[r] = 0;
      report.missingTarget++;
    }
  if (report.missingTarget && !opts.dropMissingTarget) {
    throw new DataFormatError(
      `${where.target}: the target column ${JSON.stringify(spec.target)} has ${report.missingTarget} missing values; set clean.dropMissingTarget: true to drop those rows`,
    );
  }
  if (spec.categoricalMissing === 'drop') {
    for (let r = 0; r < table.rows; r++) {
      if (keep[r] && spec.categorical.some((n) => isMissing(table.columns[n], r))) {
        keep[r] = 0;
        report.missingCategory++;
      }
    }
  }
  if (report.missingTarget || report.missingCategory) table = filterRows(table, keep);
  if (opts.dropDuplicates) {
    const d = dropDuplicates(table);
    report.duplicates = d.removed;
    table = { rows: d.rows, columns: d.columns };
  }
  report.rowsOut = table.rows;
  if (table.rows === 0) throw new DataFormatError(`${where.clean}: no rows are left after cleaning (${report.rowsIn} in)`);
  return { table, report };
}

/** The target as labels (classification) or numbers (regression). */
export function targetValues(col: Column, spec: FeatureSpec): Label[] | Float64Array {
  if (spec.task === 'regression') return toNumbers(col, spec.target, 'a number (the target of a regression)', parseNumber);
  return col instanceof Float64Array ? Array.from(col) : (col as (string | null)[]).map((v) => v ?? '');
}
