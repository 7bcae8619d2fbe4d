/**
 * Frequency tables: valueCounts (pandas' value_counts of one or several columns) and crosstab
 * (pandas' crosstab of two columns, with its normalize and margins), both from group codes.
 */
import { ParamError, ShapeError } from '../../core/errors.js';
import { checkOptions } from '../../core/validate.js';
import type { ColumnSource, FrameColumn } from '../column.js';
import { nameList, requireColumns, takeColumn, newColumns } from '../column.js';
import { factorizeKeys } from './factorize.js';

export interface ValueCountsOptions {
  /** Proportions (in a column named `proportion`) instead of counts (`count`). Default: false. */
  normalize?: boolean;
  /** Leave out missing values (true) or count them as a value of their own (false). Default: true. */
  dropna?: boolean;
  /** Order by count (true) or keep the order of first appearance (false). Default: true. */
  sort?: boolean;
  /** With sort: smallest counts first. Ties keep their order of first appearance. Default: false. */
  ascending?: boolean;
}

export function valueCounts(source: ColumnSource, columns: string | readonly string[], opts: ValueCountsOptions = {}): Record<string, FrameColumn> {
  checkOptions(opts, ['normalize', 'dropna', 'sort', 'ascending'], 'valueCounts');
  const names = nameList(columns, 'columns', 'valueCounts');
  const cols = requireColumns(source, names, 'valueCounts');
  const g = factorizeKeys(cols, { sort: false, dropna: opts.dropna ?? true });
  const counts = new Float64Array(g.n);
  let total = 0;
  for (const k of g.codes)
    if (k >= 0) {
      counts[k]++;
      total++;
    }
  const order = Int32Array.from({ length: g.n }, (_, i) => i);
  if (opts.sort ?? true) {
    const sign = opts.ascending ? 1 : -1;
    order.sort((a, b) => sign * (counts[a] - counts[b]) || a - b);
  }
  const firstRows = Int32Array.from(order, (k) => g.first[k]);
  const out = newColumns();
  names.forEach((n, i) => {
    out[n] = takeColumn(cols[i], firstRows);
  });
  const valueName = opts.normalize ? 'proportion' : 'count';
  if (Object.hasOwn(out, valueName)) throw new ParamError(`valueCounts: a counted column is named '${valueName}'; rename it first`);
  out[valueName] = { kind: 'numeric', values: Float64Array.from(order, (k) => (opts.normalize ? counts[k] / total : counts[k])) };
  return out;
}

export interface CrosstabOptions {
  /** Divide by the grand total ('all'), each row's total ('index') or each column's ('columns'). Default: false. */
  normalize?: false | 'all' | 'index' | 'columns';
  /** Add row and column totals named by marginsName (as pandas, a normalized axis has none). Default: false. */
  margins?: boolean;
  /** Name of the totals row and column. Default: 'All'. */
  marginsName?: string;
}

/**
 * Counts of each (index value, columns value) pair: a frame whose first column holds the index
 * column's values (sorted; as text with a totals row when margins is on) and then one column per
 * value of the other column (sorted, named by the value as text). Rows missing either are left out.
 */
export function crosstab(source: ColumnSource, index: string, columns: string, opts: CrosstabOptions = {}): Record<string, FrameColumn> {
  checkOptions(opts, ['normalize', 'margins', 'marginsName'], 'crosstab');
  const normalize = opts.normalize ?? false;
  if (![false, 'all', 'index', 'columns'].includes(normalize))
    throw new ParamError(`crosstab: normalize must be false, 'all', 'index' or 'columns', got ${JSON.stringify(normalize)}`);
  const margins = opts.margins ?? false,
    marginsName = opts.marginsName ?? 'All';
  const [rc, cc] = requireColumns(source, [index, columns], 'crosstab');
  if (index === columns) throw new ParamError('crosstab: index and columns must be two different columns');
  // rows missing either value are left out before the values are listed, as pandas does
  const both = new Uint8Array(source.rows);
  const present = (c: FrameColumn, r: number) => (c.kind === 'categorical' ? c.codes[r] >= 0 : c.values[r] === c.values[r]);
  for (let r = 0; r < source.rows; r++) both[r] = present(rc, r) && present(cc, r) ? 1 : 0;
  const mask = (c: FrameColumn): FrameColumn =>
    c.kind === 'categorical'
      ? { kind: 'categorical', labels: c.labels, codes: c.codes.map((k, r) => (both[r] ? k : -1)) }
      : { kind: c.kind, values: c.values.map((v, r) => (both[r] ? v : NaN)) };
  const gr = factorizeKeys([mask(rc)], { sort: true, dropna: true }),
    gc = factorizeKeys([mask(cc)], { sort: true, dropna: true });
  if (gr.n === 0) throw new ShapeError(`crosstab: no row has both '${index}' and '${columns}'`);
  const table = new Float64Array(gr.n * gc.n);
  for (let r = 0; r < source.rows; r++) if (both[r]) table[gr.codes[r] * gc.n + gc.codes[r]]++;
  const rowSum = new Float64Array(gr.n),
    colSum = new Float64Array(gc.n);
  let total = 0;
  for (let i = 0; i < gr.n; i++)
    for (let j = 0; j < gc.n; j++) {
      const t = table[i * gc.n + j];
      rowSum[i] += t;
      colSum[j] += t;
      total += t;
    }
  const cell = (i: number, j: number) => {
    const t = table[i * gc.n + j];
    return normalize === 'all' ? t / total : normalize === 'index' ? t / rowSum[i] : normalize === 'columns' ? t / colSum[j] : t;
  };
  const scale = normalize === false ? 1 : total;
  const totalsRow = margins && normalize !== 'columns',
    totalsCol = margins && normalize !== 'index';
  const nOut = gr.n + (totalsRow ? 1 : 0);
  const out = newColumns();
  const keys = takeColumn(rc, gr.first);
  out[index] = totalsRow ? withTotalsLabel(keys, marginsName) : keys;
  const colLabels = valueText(takeColumn(cc, gc.first));
  colLabels.forEach((label, j) => {
    if (Object.hasOwn(out, label)) throw new ParamError(`crosstab: the value '${label}' of '${columns}' is also the name of the index column; rename it`);
    const values = new Float64Array(nOut);
    for (let i = 0; i < gr.n; i++) values[i] = cell(i, j);
    if (totalsRow) values[gr.n] = colSum[j] / scale;
    out[label] = { kind: 'numeric', values };
  });
  if (totalsCol) {
    if (Object.hasOwn(out, marginsName)) throw new ParamError(`crosstab: a column is already named '${marginsName}'; pass another marginsName`);
    const values = new Float64Array(nOut);
    for (let i = 0; i < gr.n; i++) values[i] = rowSum[i] / scale;
    if (totalsRow) values[gr.n] = total / scale;
    out[marginsName] = { kind: 'numeric', values };
  }
  return out;
}

/** Values as text: labels, numbers as JS prints them, dates as ISO 8601. */
function valueText(c: FrameColumn): string[] {
  if (c.kind === 'categorical') return Array.from(c.codes, (k) => c.labels[k]);
  return Array.from(c.values, (v) => (c.kind === 'datetime' ? new Date(v).toISOString() : String(v)));
}

function withTotalsLabel(keys: FrameColumn, name: string): FrameColumn {
  const text = [...valueText(keys), name];
  return { kind: 'categorical', labels: text, codes: Int32Array.from(text, (_, i) => i) };
}
