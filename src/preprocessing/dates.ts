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
      for (let r = 0; r < m.rows; r++) {
        let k = r * width;
        for (let c = 0; c < m.cols; c++) {
          const t = m.data[r * m.cols + c],
            d = new Date(t);
          for (const p of this.params.parts) {
            const [get, period] = PARTS[p];
            const v = Number.isNaN(t) ? NaN : get(d);
            if (this.params.cyclical && period !== null) {
              // month/day are 1-based: shift so the cycle starts at angle 0
              const phase = (2 * Math.PI * (v - (p === 'month' || p === 'day' || p === 'dayOfYear' ? 1 : 0))) / period;
              out[k++] = Math.sin(phase);
              out[k++] = Math.cos(phase);
            } else {
              out[k++] = v;
            }
          }
        }
      }
      return new Matrix(out, m.rows, width);
    });
  }
}
