/**
 * Single-row synchronous prediction (a number[] or Float64Array row, no Matrix): the same bits
 * as batch prediction's row on every CPU backend — numeric and categorical features, missing
 * values, binary / multiclass / regression, boosted trees (the native bitvector scorer) and
 * fully grown forests (over 64 leaves: the native tree walk) — and clear errors on bad rows.
 */
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor, Matrix, RandomForestClassifier, RandomForestRegressor, Rng } from '../../src/index.js';
import { nativeAddon } from '../../src/backend/native/index.js';
import { available, hasNative } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });

const cpu = available.filter((b) => b !== 'webgpu') as ('js' | 'native')[];

/** Rows of 3 numeric features and 2 categorical codes (0..39), a tenth of the values missing. */
function data(n: number, seed: number): { X: Matrix<Float64Array>; y: number[]; cls: number[] } {
  const rng = new Rng(seed),
    X = new Float64Array(n * 5),
    y: number[] = [],
    cls: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal(),
      b = rng.random() * 10,
      c = rng.int(7),
      d = rng.int(40),
      e = rng.int(40);
    X.set([a, b, c, d, e], i * 5);
    const s = a + 0.3 * b - (d % 3 === 0 ? 1.5 : 0) + (e % 4 === 1 ? 1 : 0) + 0.3 * rng.normal();
    y.push(s);
    cls.push(s < 0.5 ? 0 : s < 2 ? 1 : 2);
  }
  for (let i = 0; i < X.length; i++) if (rng.random() < 0.1) X[i] = NaN;
  return { X: new Matrix(X, n, 5), y, cls };
}

/** Test rows: fresh draws, plus codes never seen, non-integer codes, ±Infinity and all-missing rows. */
function probeRows(): Float64Array[] {
  const rows = Array.from({ length: 300 }, (_, i) => data(300, 11).X.data.slice(i * 5, i * 5 + 5));
  rows.push(Float64Array.of(0, 1, 2, 77, -3), Float64Array.of(0.5, 3, 1, 2.5, 39.5), Float64Array.of(Infinity, -Infinity, 9, 1e300, 0));
  rows.push(new Float64Array(5).fill(NaN));
  return rows;
}

describe.each(cpu)('single-row predictSync on %s', (backend) => {
  const train = data(3000, 5),
    rows = probeRows();
  const batch = new Matrix(Float64Array.from(rows.flatMap((r) => [...r])), rows.length, 5);

  const cases = [
    ['boosted binary', () => new GradientBoostingClassifier({ nEstimators: 30, maxLeaves: 31, categoricalFeatures: [3, 4], backend }), 'bin'],
    ['boosted multiclass', () => new GradientBoostingClassifier({ nEstimators: 20, maxLeaves: 15, categoricalFeatures: [3, 4], backend }), 'cls'],
    ['boosted regression', () => new GradientBoostingRegressor({ nEstimators: 30, maxLeaves: 31, categoricalFeatures: [3, 4], backend }), 'reg'],
    ['boosted, numbers only', () => new GradientBoostingRegressor({ nEstimators: 30, maxLeaves: 63, backend }), 'reg'],
    ['forest classifier (deep trees)', () => new RandomForestClassifier({ nEstimators: 8, categoricalFeatures: [3, 4], randomState: 1, backend }), 'cls'],
    [
      'forest classifier, 32 leaves (scorer, 3 channels)',
      () => new RandomForestClassifier({ nEstimators: 8, maxLeafNodes: 32, categoricalFeatures: [3, 4], randomState: 2, backend }),
      'cls',
    ],
    ['forest regressor (deep trees)', () => new RandomForestRegressor({ nEstimators: 8, randomState: 1, backend }), 'reg'],
  ] as const;

  it.each(cases)('%s: every row equals its row of batch prediction, bit for bit', async (_name, make, target) => {
    const model = make() as any;
    const y = target === 'reg' ? train.y : target === 'cls' ? train.cls : train.cls.map((c: number) => (c === 2 ? 1 : 0));
    await model.fit(train.X, y);
    const classifier = 'predictProba' in model;
    const full = classifier ? (await model.predictProba(batch)).data : await model.predict(batch);
    const labels = await model.predict(batch);
    const k = full.length / rows.length;
    for (let i = 0; i < rows.length; i++) {
      const expected = Array.from(full.subarray(i * k, (i + 1) * k));
      // a row, as number[] and Float64Array, and one row as a matrix (the same path)
      for (const row of [rows[i], Array.from(rows[i]), new Matrix(rows[i], 1, 5), [Array.from(rows[i])]]) {
        if (classifier) {
          const p = model.predictProbaSync(row);
          expect([p.rows, p.cols]).toEqual([1, k]);
          expect(Array.from(p.data)).toEqual(expected);
          expect(model.predictSync(row)).toEqual([labels[i]]);
        } else {
          expect(Array.from(model.predictSync(row))).toEqual(expected);
        }
      }
    }
  });

  it('refuses a row of the wrong length or with non-numbers, naming the fix', async () => {
    const model = await new GradientBoostingClassifier({ nEstimators: 3, backend }).fit(train.X, train.cls);
    expect(() => model.predictProbaSync([1, 2, 3])).toThrow(code('E_SHAPE'));
    expect(() => model.predictSync(new Float64Array(6))).toThrow(/6 values but the model was fitted with 5 features/);
    expect(() => model.predictSync([1, 2, '3', 4, 5] as unknown as number[])).toThrow(code('E_DTYPE'));
    expect(() => model.predictSync([1, 2, null, 4, 5] as unknown as number[])).toThrow(/row\[2\] is null/);
    // Rows as before: nested arrays and matrices still give one prediction per row.
    expect(model.predictSync([Array.from(probeRows()[0]), Array.from(probeRows()[1])])).toHaveLength(2);
  });

  it("a row does not alias the last result, nor the caller's array", async () => {
    const model = await new GradientBoostingRegressor({ nEstimators: 5, backend }).fit(train.X, train.y);
    const row = rows[0].slice();
    const a = model.predictSync(row),
      b = model.predictSync(rows[1]);
    expect(Array.from(row)).toEqual(Array.from(rows[0]));
    expect(a[0]).not.toBe(b[0]);
    expect(Array.from(model.predictSync(rows[0]))).toEqual(Array.from(a));
  });
});

describe.runIf(hasNative)('native single-row kernels', () => {
  it('the bitvector scorer and the tree walk agree on every row; forests of deep trees walk', async () => {
    const train = data(3000, 6);
    const model = await new GradientBoostingClassifier({ nEstimators: 40, maxLeaves: 64, categoricalFeatures: [3, 4], backend: 'native' }).fit(
      train.X,
      train.cls,
    );
    const addon = nativeAddon();
    const handle = addon.histForestPrepare(model.ensemble.forest(), 5, 3);
    expect(addon.histForestRowScorer(handle)).toBe(false); // built when a row buffer is bound
    const buffer = new Float64Array(8);
    addon.histForestBindRow(handle, buffer);
    expect(addon.histForestRowScorer(handle)).toBe(true);
    for (const row of probeRows()) {
      buffer.set(row);
      buffer.fill(0, 5);
      addon.histForestPredictRow(handle);
      const scored = Array.from(buffer.subarray(5));
      buffer.fill(0, 5);
      addon.histForestPredictRow(handle, true);
      expect(scored).toEqual(Array.from(buffer.subarray(5)));
    }
    const deep = await new RandomForestClassifier({ nEstimators: 2, randomState: 3, backend: 'native' }).fit(train.X, train.cls);
    const deepHandle = addon.histForestPrepare(deep.ensemble.forest(), 5, 3);
    addon.histForestBindRow(deepHandle, new Float64Array(8));
    expect(addon.histForestRowScorer(deepHandle)).toBe(false);
    expect(() => addon.histForestBindRow(handle, new Float64Array(7))).toThrow(/8/);
  });
});
