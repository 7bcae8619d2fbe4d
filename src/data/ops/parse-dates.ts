/**
 * A text column to a datetime column (epoch ms, NaN missing: how kiln holds dates, as the
 * Parquet and CSV readers give them). With a format, strptime.ts reads it; without one, ISO
 * 8601 (or anything Date.parse reads). Each distinct label is parsed once.
 */
import { DataFormatError, DTypeError, ParamError } from '../../core/errors.js';
import { checkOptions } from '../../core/validate.js';
import type { ColumnSource, FrameColumn } from '../column.js';
import { requireColumns } from '../column.js';
import { parseDateText } from '../dates.js';
import { compileFormat } from './strptime.js';

export interface ParseDatesOptions {
  /** strptime-style format such as '%Y-%m-%d %H:%M' (the directives are listed in the README). Default: ISO 8601. */
  format?: string;
  /** Text that does not fit: refuse it ('raise', naming the row) or make it missing ('coerce'), as pandas' to_datetime. Default: 'raise'. */
  errors?: 'raise' | 'coerce';
}

export function parseDates(source: ColumnSource, column: string, opts: ParseDatesOptions = {}): FrameColumn {
  checkOptions(opts, ['format', 'errors'], 'parseDates');
  const errors = opts.errors ?? 'raise';
  if (errors !== 'raise' && errors !== 'coerce') throw new ParamError(`parseDates: errors must be 'raise' or 'coerce', got ${JSON.stringify(errors)}`);
  const [col] = requireColumns(source, [column], 'parseDates');
  if (col.kind === 'datetime') return col;
  if (col.kind !== 'categorical')
    throw new DTypeError(
      `parseDates: column '${column}' is ${col.kind}, not text; numbers of epoch milliseconds become dates with assign(name, { kind: 'datetime', values })`,
    );
  const parse = opts.format === undefined ? parseDateText : compileFormat(opts.format);
  const perLabel = Float64Array.from(col.labels, (l) => parse(l));
  const values = new Float64Array(col.codes.length);
  for (let r = 0; r < values.length; r++) {
    const k = col.codes[r];
    const v = k < 0 ? NaN : perLabel[k];
    if (v !== v && k >= 0 && errors === 'raise')
      throw new DataFormatError(
        `parseDates: row ${r} of '${column}' is ${JSON.stringify(col.labels[k])}, which does not fit ${opts.format === undefined ? 'ISO 8601' : `the format ${JSON.stringify(opts.format)}`}; fix the format or pass errors: 'coerce'`,
      );
    values[r] = v;
  }
  return { kind: 'datetime', values };
}
