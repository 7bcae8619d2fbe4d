/** Reads test/fixtures/pandas (written by test/fixtures-scripts/pandas_table_ops.py) and compares Frames with pandas' columns. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Frame, fromRecords, readCsv } from '../../src/index.js';

type Cell = number | string | null;
export type Columns = Record<string, Cell[]>;

export function pandasCases(name: string): Record<string, any> {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/pandas/${name}.json`, import.meta.url)), 'utf8')).cases;
}

const data = (file: string) => fileURLToPath(new URL(`../../node_modules/vega-datasets/data/${file}`, import.meta.url));

export const penguins = () => Frame.fromTable(fromRecords(JSON.parse(readFileSync(data('penguins.json'), 'utf8'))));
export const cars = () => Frame.fromTable(fromRecords(JSON.parse(readFileSync(data('cars.json'), 'utf8'))));
export const seattle = async () => Frame.fromTable(await readCsv(data('seattle-weather.csv'), { types: { date: 'string' } }));

/** A frame's columns as pandas' JSON has them: labels as text, missing as null. */
export function plain(frame: Frame): Columns {
  const out: Columns = {};
  for (const [name, col] of Object.entries(frame.columns))
    out[name] = Array.from(col as ArrayLike<number | string | null>, (v) => (typeof v === 'number' && Number.isNaN(v) ? null : v));
  return out;
}

/** Same columns in the same order, text equal, numbers within a relative 1e-12 (pandas sums in another order). */
export function expectColumns(actual: Columns, expected: Columns, rel = 1e-12): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name];
    expect(got.length, name).toBe(want.length);
    want.forEach((w, i) => {
      const g = got[i];
      if (typeof w === 'number' && typeof g === 'number') {
        if (Math.abs(g - w) > rel * Math.max(1, Math.abs(w))) expect(g, `${name}[${i}]`).toBe(w);
      } else expect(g, `${name}[${i}]`).toEqual(w);
    });
  }
}

export const code = (c: string) => expect.objectContaining({ code: c });
