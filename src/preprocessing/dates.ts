/**
 * Date features from epoch-millisecond columns (what readCsv/readParquet give for dates): calendar
 * parts in UTC, and cyclical parts as sin/cos pairs so December sits next to January.
 */
import { readMatrix } from '../core/read-matrix.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { bool, list, oneOf, type ParamSpecs } from '../core/params.js';
import { requireCols, Transformer } from './base.js';

export type DatePart = 'year' | 'month' | 'day' | 'dayOfWeek' | 'dayOfYear' | 'hour' | 'minute';

/** Each part's extractor and its period (for the cyclical encoding; year has none). */
const PARTS: Record<DatePart, [(d: Date) => number, number | null]> = {
  year: [(d) => d.getUTCFullYear(), null],
  month: [(d) => d.getUTCMonth() + 1, 12],
  day: [(d) => d.getUTCDate(), 31],
  dayOfWeek: [(d) => d.getUTCDay(), 7], // 0 = Sunday
  dayOfYear: [(d) => Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 366],
  hour: [(d) => d.getUTCHours(), 24],
  minute: [(d) => d.getUTCMinutes(), 60],
};

const DAY_MS = 86_400_000;
/** Days from 1970-01-01 to January 1st of year y (proleptic Gregorian; Hinnant's days_from_civil). */
function januaryFirst(y: number): number {
  const py = y - 1, // January counts in the previous March-based year
    era = Math.floor(py / 400),
    yoe = py - era * 400;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + 306 - 719_468;
}

/** The calendar day last looked up (rows in time order share days, so most rows reuse it). */
const day = { days: NaN, year: 0, month: 0, dayOfMonth: 0, dayOfWeek: 0, dayOfYear: 0 };

/** civil_from_days (Hinnant): the date of day `days` since 1970-01-01, by March-based years of 400-year eras, into `day`. */
function civilDay(days: number): void {
  const z = days + 719_468,
    era = Math.floor(z / 146_097),
    doe = z - era * 146_097,
    yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365),
    doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)),
    mp = Math.floor((5 * doy + 2) / 153),
    month = mp < 10 ? mp + 3 : mp - 9,
    year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  day.days = days;
  day.year = year;
  day.month = month;
  day.dayOfMonth = doy - Math.floor((153 * mp + 2) / 5) + 1;
  day.dayOfWeek = (((days + 4) % 7) + 7) % 7;
  day.dayOfYear = days - januaryFirst(year) + 1;
}

/**
 * The parts of epoch-ms time t into out[k..] (parts as indices into PART_ORDER), by integer
 * arithmetic on the day count — what PARTS reads off a Date, without one per value. Years before
 * 100 (where Date.UTC reads 0-99 as 1900-1999, which PARTS.dayOfYear inherits) go through Date.
 */
function calendarParts(t: number, parts: Int8Array, out: Float64Array, k: number): void {
  if (!(Math.abs(t) <= 8.64e15)) {
    for (let i = 0; i < parts.length; i++) out[k + i] = NaN; // NaN, infinite, or past Date's range
    return;
  }
  const tt = Math.trunc(t),
    days = Math.floor(tt / DAY_MS),
    ms = tt - days * DAY_MS;
  if (days !== day.days) civilDay(days);
  const { year } = day;
  if (year < 100) {
    const d = new Date(t);
    for (let i = 0; i < parts.length; i++) out[k + i] = PARTS[PART_ORDER[parts[i]]][0](d);
    return;
  }
  for (let i = 0; i < parts.length; i++) {
    switch (parts[i]) {
      case 0:
        out[k + i] = year;
        break;
      case 1:
        out[k + i] = day.month;
        break;
      case 2:
        out[k + i] = day.dayOfMonth;
        break;
      case 3:
        out[k + i] = day.dayOfWeek;
        break;
      case 4:
        out[k + i] = day.dayOfYear;
        break;
      case 5:
        out[k + i] = Math.floor(ms / 3_600_000);
        break;
      default:
        out[k + i] = Math.floor(ms / 60_000) % 60;
    }
  }
}
const PART_ORDER: DatePart[] = ['year', 'month', 'day', 'dayOfWeek', 'dayOfYear', 'hour', 'minute'];

export interface DateFeaturesParams {
  /**
   * The calendar parts (UTC) output for each input column, in this order: 'year', 'month',
   * 'day', 'dayOfWeek' (0 = Sunday), 'dayOfYear', 'hour', 'minute'. Default: ['year', 'month', 'day', 'dayOfWeek'].
   */
  parts: DatePart[];
  /** Output sin and cos of each periodic part (all but year) instead of its number, so its end sits next to its start. Default: false. */
  cyclical: boolean;
}

const DATE_SPECS: ParamSpecs<DateFeaturesParams> = {
  parts: list(oneOf('year', 'month', 'day', 'dayOfWeek', 'dayOfYear', 'hour', 'minute'), { minLength: 1 }),
  cyclical: bool(),
};

export class DateFeatures extends Transformer<DateFeaturesParams> {
  private nInputs: number | undefined;

  constructor(params: Partial<DateFeaturesParams> = {}) {
    super({ parts: ['year', 'month', 'day', 'dayOfWeek'], cyclical: false }, params);
  }

  protected get paramSpecs(): ParamSpecs<DateFeaturesParams> {
    return DATE_SPECS;
  }

  featureNamesOut(inputNames?: string[]): string[] {
    const n = this.fitted(this.nInputs);
    const names = inputNames ?? Array.from({ length: n }, (_, i) => `x${i}`);
    return names.flatMap((name) =>
      this.params.parts.flatMap((p) => (this.params.cyclical && PARTS[p][1] !== null ? [`${name}_${p}_sin`, `${name}_${p}_cos`] : [`${name}_${p}`])),
    );
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      this.nInputs = readMatrix(X, 'DateFeatures.fit: X', { nonFinite: 'missing' }).cols;
      return this;
    });
  }

  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const m = readMatrix(X, 'DateFeatures.transform: X', { nonFinite: 'missing' });
      requireCols(m, this.fitted(this.nInputs), 'DateFeatures.transform: X');
      const width = this.featureNamesOut().length;
      const out = new Float64Array(m.rows * width);
      const { parts, cyclical } = this.params;
      const codes = Int8Array.from(parts, (p) => PART_ORDER.indexOf(p));
      if (!cyclical) {
        // parts written straight into place: width = cols × parts
        for (let i = 0; i < m.rows * m.cols; i++) calendarParts(m.data[i], codes, out, i * parts.length);
        return new Matrix(out, m.rows, width);
      }
      const v = new Float64Array(parts.length);
      for (let r = 0; r < m.rows; r++) {
        let k = r * width;
        for (let c = 0; c < m.cols; c++) {
          calendarParts(m.data[r * m.cols + c], codes, v, 0);
          parts.forEach((p, i) => {
            const period = PARTS[p][1];
            if (period !== null) {
              // month/day are 1-based: shift so the cycle starts at angle 0
              const phase = (2 * Math.PI * (v[i] - (p === 'month' || p === 'day' || p === 'dayOfYear' ? 1 : 0))) / period;
              out[k++] = Math.sin(phase);
              out[k++] = Math.cos(phase);
            } else {
              out[k++] = v[i];
            }
          });
        }
      }
      return new Matrix(out, m.rows, width);
    });
  }
}
