/** fromRecords on vega-datasets' penguins (real missing values) and schema inference/validation. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromRecords, inferSchema, validateSchema } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const penguins = JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/vega-datasets/data/penguins.json', import.meta.url)), 'utf8'));

describe('fromRecords', () => {
  it('types columns and keeps missing values', () => {
    const t = fromRecords(penguins);
    expect(t.rows).toBe(penguins.length);
    expect(t.columns.Species).toEqual(penguins.map((p: any) => p.Species));
    const mass = t.columns['Body Mass (g)'] as Float64Array;
    expect(mass).toBeInstanceOf(Float64Array);
    const nulls = penguins.filter((p: any) => p['Body Mass (g)'] === null).length;
    expect(nulls).toBeGreaterThan(0);
    expect(Array.from(mass).filter(Number.isNaN).length).toBe(nulls);
    expect(fromRecords([{ a: 1 }, { b: 'x' }]).columns).toEqual({ a: Float64Array.of(1, NaN), b: [null, 'x'] });
    expect(() => fromRecords([])).toThrowError(code('E_EMPTY'));
    expect(() => fromRecords([1 as never])).toThrowError(code('E_DATA_FORMAT'));
  });
});

describe('schemas', () => {
  it('a table satisfies its inferred schema; violations are listed per column with row counts', () => {
    const t = fromRecords(penguins);
    const schema = inferSchema(t);
    expect(validateSchema(t, schema)).toEqual([]);
    expect(schema.Species).toEqual({ type: 'string', nullable: false, values: ['Adelie', 'Chinstrap', 'Gentoo'] });
    const strict = {
      ...schema,
      'Body Mass (g)': { ...schema['Body Mass (g)'], nullable: false, max: 5000 },
      Island: { type: 'number' as const, nullable: false },
      Year: { type: 'number' as const, nullable: false },
    };
    const v = validateSchema(t, strict);
    const mass = t.columns['Body Mass (g)'] as Float64Array;
    expect(v).toEqual([
      // in schema order (Island comes before Body Mass in the data)
      expect.objectContaining({ column: 'Island', problem: 'wrong_type' }),
      expect.objectContaining({ column: 'Body Mass (g)', problem: 'nulls', rows: Array.from(mass).filter(Number.isNaN).length }),
      expect.objectContaining({ column: 'Body Mass (g)', problem: 'above_max', rows: Array.from(mass).filter((x) => x > 5000).length }),
      expect.objectContaining({ column: 'Year', problem: 'missing_column' }),
    ]);
    const other = { rows: 2, columns: { Species: ['Adelie', 'Emperor'] } };
    expect(validateSchema(other, { Species: schema.Species })).toEqual([expect.objectContaining({ problem: 'unknown_value', rows: 1 })]);
  });
});
