/** parseDates: strptime-style formats read as pandas' to_datetime reads them (test/fixtures/pandas/seattle-weather.json). */
import { describe, expect, it } from 'vitest';
import { Frame } from '../../src/index.js';
import { code, pandasCases, seattle } from '../helpers/pandas-fixtures.js';

const S = pandasCases('seattle-weather');
const text = (values: (string | null)[]): Frame => {
  const labels = [...new Set(values.filter((v): v is string => v !== null))].sort();
  return new Frame({ t: { kind: 'categorical', labels, codes: Int32Array.from(values, (v) => (v === null ? -1 : labels.indexOf(v))) } });
};
const ms = (f: Frame, name = 't') => Array.from((f.column(name) as { values: Float64Array }).values);

describe('parseDates', () => {
  it('reads seattle-weather dates with %Y-%m-%d into a datetime column (epoch ms, as the readers give)', async () => {
    const f = (await seattle()).parseDates('date', { format: '%Y-%m-%d' });
    expect(f.column('date').kind).toBe('datetime');
    expect(ms(f, 'date')).toEqual(S.date_iso_ms);
    expect(ms((await seattle()).parseDates('date'), 'date')).toEqual(S.date_iso_ms); // no format: ISO 8601
    expect(f.columnNames[0]).toBe('date'); // replaced in place
  });

  for (const key of ['dmy_hm', 'month_name_12h', 'compact', 'year_day', 'long_names', 'iso_fraction_offset']) {
    it(`reads ${S[`dates_${key}`].format} as pandas does`, () => {
      const c = S[`dates_${key}`];
      const got = ms(text(c.text).parseDates('t', { format: c.format }));
      got.forEach((v, i) => {
        if (Math.abs(v - c.ms[i]) > 1e-3) expect(v, `${c.text[i]}`).toBe(c.ms[i]);
      });
    });
  }

  it('keeps missing values missing; text that does not fit is refused (naming row and value) or coerced', () => {
    expect(ms(text(['2024-02-29', null]).parseDates('t', { format: '%Y-%m-%d' }))).toEqual([Date.UTC(2024, 1, 29), NaN]);
    const bad = text(['2023-02-29', '2023-01-01']);
    expect(() => bad.parseDates('t', { format: '%Y-%m-%d' })).toThrowError(code('E_DATA_FORMAT'));
    expect(() => bad.parseDates('t', { format: '%Y-%m-%d' })).toThrowError(/row 0 of 't' is "2023-02-29"/);
    expect(ms(bad.parseDates('t', { format: '%Y-%m-%d', errors: 'coerce' }))).toEqual([NaN, Date.UTC(2023, 0, 1)]);
    expect(ms(text(['2023-01-01 12:00x']).parseDates('t', { format: '%Y-%m-%d %H:%M', errors: 'coerce' }))).toEqual([NaN]); // unconverted text
    const year99 = new Date(0);
    year99.setUTCFullYear(99, 11, 31);
    expect(ms(text(['0099-12-31']).parseDates('t', { format: '%Y-%m-%d' }))).toEqual([year99.getTime()]); // a year below 100 stays itself (Date.UTC would add 1900)
  });

  it('refuses unknown directives, non-text columns and bad options', () => {
    const f = text(['2023-01-01']);
    expect(() => f.parseDates('t', { format: '%Q' })).toThrowError(code('E_PARAM'));
    expect(() => f.parseDates('t', { format: '' })).toThrowError(code('E_PARAM'));
    expect(() => f.parseDates('t', { errors: 'ignore' as never })).toThrowError(code('E_PARAM'));
    expect(() => f.parseDates('when')).toThrowError(/no column "when"; the frame has t/);
    const n = new Frame({ t: { kind: 'numeric', values: Float64Array.of(1) } });
    expect(() => n.parseDates('t')).toThrowError(code('E_DTYPE'));
    const d = new Frame({ t: { kind: 'datetime', values: Float64Array.of(1) } });
    expect(d.parseDates('t').column('t')).toBe(d.column('t'));
  });
});
