/**
 * The reference profile: exact statistics of small columns, the seeded reservoir, pooled rare
 * categories, the round trip through a model file's manifest, and malformed profiles refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogisticRegression, readManifest, readReference, referenceProfile, save, type NumericReference } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-ref-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('referenceProfile', () => {
  const table = {
    rows: 6,
    columns: { x: Float64Array.from([1, 2, 2, 4, Number.NaN, 9]), colour: ['red', 'blue', null, 'red', 'red', 'green'] },
  };

  it('profiles numeric and categorical columns exactly', () => {
    const p = referenceProfile(table, { predictions: ['a', 'b', 'a', 'a', 'b', 'a'], metrics: { accuracy: 0.9 } });
    expect(p.rows).toBe(6);
    const x = p.features.x as NumericReference;
    expect(x).toMatchObject({ kind: 'numeric', count: 6, missing: 1, min: 1, max: 9, mean: 3.6, distinct: 4, sample: [1, 2, 2, 4, 9] });
    expect(x.std).toBeCloseTo(Math.sqrt((2.6 ** 2 + 1.6 ** 2 * 2 + 0.4 ** 2 + 5.4 ** 2) / 5), 12);
    // numpy.percentile([1, 2, 2, 4, 9], [0, 25, 50, 75, 100]) = 1, 2, 2, 4, 9
    const at = (q: number) => x.quantiles.value[x.quantiles.q.indexOf(q)];
    expect([at(0), at(0.25), at(0.5), at(0.75), at(1)]).toEqual([1, 2, 2, 4, 9]);
    expect(x.histogram.edges).toHaveLength(21);
    expect(x.histogram.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(x.histogram.counts[0]).toBe(1); // [1, 1.4)
    expect(x.histogram.counts[19]).toBe(1); // [8.6, 9]
    expect(p.features.colour).toEqual({ kind: 'categorical', count: 6, missing: 1, frequencies: { red: 3, blue: 1, green: 1 } });
    expect(p.prediction).toEqual({ kind: 'categorical', count: 6, missing: 0, frequencies: { a: 4, b: 2 } });
    expect(p.metrics).toEqual({ accuracy: 0.9 });
  });

  it('samples large columns with a seeded reservoir and pools rare categories', () => {
    const n = 10_000;
    const big = { rows: n, columns: { v: Float64Array.from({ length: n }, (_, i) => i), c: Array.from({ length: n }, (_, i) => `k${i % 50}`) } };
    const a = referenceProfile(big, { sampleSize: 500, maxCategories: 10, randomState: 3 });
    const b = referenceProfile(big, { sampleSize: 500, maxCategories: 10, randomState: 3 });
    const s = (a.features.v as NumericReference).sample;
    expect(s).toHaveLength(500);
    expect(s).toEqual((b.features.v as NumericReference).sample);
    expect(new Set(s).size).toBe(500);
    // a uniform sample of 0..9999: its mean is near 4999.5 (standard error ≈ 129)
    expect(Math.abs(s.reduce((x, y) => x + y, 0) / 500 - 4999.5)).toBeLessThan(600);
    const f = (a.features.c as { frequencies: Record<string, number> }).frequencies;
    expect(Object.keys(f)).toHaveLength(11);
    expect(f.__other__).toBe(40 * 200);
  });

  it('travels in a model file and is read back checked', async () => {
    const model = await new LogisticRegression().fit(
      [
        [0, 1],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
      ['a', 'b', 'b', 'a'],
    );
    const allMissing = { rows: 2, columns: { m: Float64Array.from([Number.NaN, Number.NaN]) } };
    const reference = referenceProfile(allMissing);
    expect(reference.features.m).toMatchObject({ min: null, mean: null, std: null, sample: [] });
    const path = join(dir, 'm.kiln');
    await save(model, path, { reference });
    const back = readReference((await readManifest(path)).reference);
    expect(back).toEqual(JSON.parse(JSON.stringify(reference)));
  });

  it('refuses bad input and malformed profiles', () => {
    expect(() => referenceProfile({ rows: 0, columns: {} })).toThrow(/no rows/);
    expect(() => referenceProfile(table, { columns: ['nope'] })).toThrow(/no column "nope"; the table has x, colour/);
    expect(() => referenceProfile(table, { predictions: [1, 2] })).toThrow(/predictions has 2 values for 6 rows/);
    expect(() => referenceProfile(table, { sampleSize: 0 })).toThrow(/sampleSize must be an integer >= 1/);
    expect(() => readReference(null)).toThrow(/not an object/);
    expect(() => readReference({ version: 99, rows: 1, features: {} })).toThrow(/version 99/);
    expect(() => readReference({ version: 1, rows: 1, features: { x: { kind: 'weird', count: 1, missing: 0 } } })).toThrow(/features\.x: kind must be/);
    expect(() => readReference({ version: 1, rows: 1, features: { x: { kind: 'numeric', count: 1, missing: 0, sample: 'no' } } })).toThrow(/number arrays/);
    expect(() => readReference({ version: 1 })).toThrow(
      expect.objectContaining({ code: 'E_MODEL_FORMAT', message: expect.stringMatching(/rows and features/) }),
    );
  });
});
