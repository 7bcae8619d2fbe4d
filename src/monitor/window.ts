/**
 * A window of the prediction log as data: the logged input rows as a column table (numbers as
 * Float64Array with NaN for missing, anything else as text), with the predictions and any ground
 * truth beside them; and the data-quality rates of a window against the reference profile
 * (missing share, values outside the training range, categories training never saw).
 */
import { ParamError } from '../core/errors.js';
import type { Column, Table } from '../data/table.js';
import type { LoggedPrediction } from './prediction-log.js';
import { OTHER_CATEGORIES, type ReferenceProfile } from './reference-profile.js';

export interface LogWindow {
  /** The logged inputs, one column per feature. */
  inputs: Table;
  predictions: unknown[];
  /** Ground truth where feedback arrived (undefined elsewhere). */
  actual: unknown[];
  from: number | null;
  to: number | null;
}

/** The column of `name` over the logged rows: numbers when every present value is a number. */
function columnOf(rows: readonly LoggedPrediction[], name: string): Column {
  const vals = rows.map((r) => (r.input !== null && typeof r.input === 'object' ? (r.input as Record<string, unknown>)[name] : undefined));
  if (vals.every((v) => v === null || v === undefined || typeof v === 'number')) {
    return Float64Array.from(vals, (v) => (typeof v === 'number' ? v : Number.NaN));
  }
  return vals.map((v) => (v === null || v === undefined ? null : String(v)));
}

/** The logged rows of a window as a table of `columns` (default: every key the inputs hold). */
export function logWindow(rows: readonly LoggedPrediction[], columns?: readonly string[]): LogWindow {
  const names = columns ?? [
    ...new Set(rows.flatMap((r) => (r.input !== null && typeof r.input === 'object' && !Array.isArray(r.input) ? Object.keys(r.input as object) : []))),
  ];
  const inputs: Table = { rows: rows.length, columns: Object.fromEntries(names.map((n) => [n, columnOf(rows, n)])) };
  return {
    inputs,
    predictions: rows.map((r) => r.prediction),
    actual: rows.map((r) => r.actual),
    from: rows.length ? rows[0].at : null,
    to: rows.length ? rows[rows.length - 1].at : null,
  };
}

export interface FeatureQuality {
  column: string;
  /** Share of rows where the value is missing (or the field absent). */
  missingShare: number;
  /** Numeric: share of present values outside the reference's [min, max]. */
  outOfRangeShare?: number;
  /** Categorical: share of present values the reference never saw. */
  unseenShare?: number;
}

/** Missing, out-of-range and unseen-category rates of each profiled feature in a window. */
export function dataQuality(reference: ReferenceProfile, current: Table): FeatureQuality[] {
  if (current.rows === 0) throw new ParamError('dataQuality: the window has no rows');
  return Object.entries(reference.features).map(([column, f]) => {
    const col = current.columns[column];
    if (!col) return { column, missingShare: 1 };
    let missing = 0,
      outside = 0,
      present = 0;
    if (f.kind === 'numeric') {
      for (let i = 0; i < col.length; i++) {
        const v = col[i];
        if (typeof v !== 'number' || Number.isNaN(v)) {
          if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) missing++;
          else present++, outside++; // text where a number belongs is as foreign as it gets
          continue;
        }
        present++;
        if (f.min !== null && f.max !== null && (v < f.min || v > f.max)) outside++;
      }
      return { column, missingShare: missing / current.rows, outOfRangeShare: present ? outside / present : 0 };
    }
    // a category pooled under OTHER_CATEGORIES was seen, only not kept by name: it cannot be told apart
    const known = new Set(Object.keys(f.frequencies));
    const pooled = known.has(OTHER_CATEGORIES);
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
        missing++;
        continue;
      }
      present++;
      if (!pooled && !known.has(String(v))) outside++;
    }
    return { column, missingShare: missing / current.rows, unseenShare: present ? outside / present : 0 };
  });
}
