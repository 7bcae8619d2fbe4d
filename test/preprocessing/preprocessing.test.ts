/** Scalers, imputer and encoders: invariants, round-trips, backend agreement and bad input. */
import { describe, expect, it } from 'vitest';
import {
  ColumnTransformer,
  fromPlain,
  Pipeline,
  toPlain,
  KBinsDiscretizer,
  MaxAbsScaler,
  Matrix,
  PolynomialFeatures,
  PowerTransformer,
  QuantileTransformer,
  MinMaxScaler,
  Normalizer,
  OneHotEncoder,
  OrdinalEncoder,
  RobustScaler,
  Rng,
  SimpleImputer,
  StandardScaler,
} from '../../src/index.js';
import { resolveBackend } from '../../src/backend/select.js';
import { brentMinimize } from '../../src/training/brent.js';
import { available } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });
const cpu = available.filter((b) => b !== 'webgpu');

function randomData(rows: number, cols: number, seed: number, missing = 0): Matrix<Float64Array> {
  const rng = new Rng(seed),
    data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.random() < missing ? NaN : (rng.random() * 10 - 3) * (1 + (i % cols));
  return new Matrix(data, rows, cols);
}

function expectClose(a: Float64Array, b: Float64Array, tol: number) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(b[i])) expect(a[i]).toBeNaN();
    else expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
  }
}

describe.each(cpu)('affine scalers (%s)', (backend) => {
  const scalers = () => [
    new StandardScaler({ backend }),
    new MinMaxScaler({ backend, featureRange: [-1, 2] }),
    new MaxAbsScaler({ backend }),
    new RobustScaler({ backend, quantileRange: [10, 90] }),
  ];

  it('inverseTransform undoes transform, and fitTransform equals fit then transform', async () => {
    const X = randomData(300, 7, 1, 0.05);
    for (const s of scalers()) {
      const t = await s.fitTransform(X);
      expectClose(t.data, (await s.transform(X)).data, 0);
      expectClose((await s.inverseTransform(t)).data, X.data, 1e-12);
    }
  });

  it('ignores NaN when fitting and keeps it in place on transform', async () => {
    const X = [
      [1, NaN],
      [3, 4],
      [NaN, 8],
      [5, 6],
    ];
    const s = await new StandardScaler({ backend }).fit(X);
    expect(Array.from(s.mean)).toEqual([3, 6]);
    expect(Array.from(s.nSamplesSeen)).toEqual([3, 3]);
    const t = (await s.transform(X)).toArray();
    expect(t[0][1]).toBeNaN();
    expect(t[2][0]).toBeNaN();
    expect(t[1][0]).toBeCloseTo(0, 15);
  });

  it('maps a constant column to zero instead of dividing by zero', async () => {
    const X = [
      [2, 1],
      [2, 5],
      [2, 9],
    ];
    for (const s of [new StandardScaler({ backend }), new RobustScaler({ backend })]) {
      const t = (await s.fitTransform(X)).toArray();
      expect(t.map((r) => r[0])).toEqual([0, 0, 0]);
      expect(s.scale[0]).toBe(1);
    }
    const mm = await new MinMaxScaler({ backend }).fit(X);
    expect((await mm.transform(X)).toArray().map((r) => r[0])).toEqual([0, 0, 0]);
  });

  it('MinMaxScaler maps the training range onto featureRange and clips when asked', async () => {
    const X = [
      [0, 10],
      [5, 20],
      [10, 30],
    ];
    const s = await new MinMaxScaler({ backend, featureRange: [-1, 1] }).fit(X);
    expect((await s.transform(X)).toArray()).toEqual([
      [-1, -1],
      [0, 0],
      [1, 1],
    ]);
    expect((await s.transform([[20, 0]])).toArray()).toEqual([[3, -2]]);
    const clipped = await new MinMaxScaler({ backend, featureRange: [-1, 1], clip: true }).fit(X);
    expect((await clipped.transform([[20, 0]])).toArray()).toEqual([[1, -1]]);
  });

  it('StandardScaler withMean: false only scales; withStd: false only centres', async () => {
    const X = [
      [1, 2],
      [3, 6],
    ];
    expect((await new StandardScaler({ backend, withMean: false }).fitTransform(X)).toArray()).toEqual([
      [1, 1],
      [3, 3],
    ]);
    expect((await new StandardScaler({ backend, withStd: false }).fitTransform(X)).toArray()).toEqual([
      [-1, -2],
      [1, 2],
    ]);
  });

  it('SimpleImputer fills with training statistics, adds indicators and handles empty columns', async () => {
    const X = [
      [1, NaN, NaN],
      [NaN, 4, NaN],
      [3, 4, NaN],
      [3, 1, NaN],
    ];
    const mean = await new SimpleImputer({ backend }).fit(X);
    expectClose(mean.statistics.slice(0, 2), Float64Array.of(7 / 3, 3), 1e-15);
    expect(mean.statistics[2]).toBeNaN();
    // the all-missing column is dropped, as scikit-learn does
    expectClose((await mean.transform(X)).data, Float64Array.of(1, 3, 7 / 3, 4, 3, 4, 3, 1), 1e-15);
    const kept = await new SimpleImputer({ backend, strategy: 'most_frequent', keepEmptyFeatures: true, addIndicator: true }).fit(X);
    expect((await kept.transform(X)).toArray()).toEqual([
      [1, 4, 0, 0, 1, 1],
      [3, 4, 0, 1, 0, 1],
      [3, 4, 0, 0, 0, 1],
      [3, 1, 0, 0, 0, 1],
    ]);
    const constant = await new SimpleImputer({ backend, strategy: 'constant', fillValue: -7 }).fit(X);
    expect((await constant.transform([[NaN, NaN, 2]])).toArray()).toEqual([[-7, -7, 2]]);
  });

  it('rejects bad input with stable codes', async () => {
    const s = new StandardScaler({ backend });
    await expect(s.transform([[1]])).rejects.toThrowError(code('E_NOT_FITTED'));
    await expect(s.fit([[1, Infinity]])).rejects.toThrowError(code('E_NONFINITE'));
    await expect(s.fit([])).rejects.toThrowError(code('E_EMPTY'));
    await s.fit([
      [1, 2],
      [3, 4],
    ]);
    await expect(s.transform([[1, 2, 3]])).rejects.toThrowError(code('E_SHAPE'));
    await expect(new SimpleImputer({ backend }).fit([[1, 2], [3]] as number[][])).rejects.toThrowError(code('E_SHAPE'));
    expect(() => new MinMaxScaler({ featureRange: [1, 0] })).toThrowError(code('E_PARAM'));
    expect(() => new RobustScaler({ quantileRange: [80, 20] })).toThrowError(code('E_PARAM'));
    expect(() => new SimpleImputer({ strategy: 'mode' as never })).toThrowError(code('E_PARAM'));
    expect(() => new Normalizer({ norm: 'l3' as never })).toThrowError(code('E_PARAM'));
  });
});

describe('scaler backends agree', () => {
  it.runIf(cpu.includes('native'))('native and js give bit-identical column maps on a large matrix with NaN', async () => {
    const X = randomData(20000, 33, 7, 0.02);
    const results = [];
    for (const backend of ['native', 'js'] as const) {
      const s = await new StandardScaler({ backend }).fit(X);
      const imp = await new SimpleImputer({ backend, strategy: 'median' }).fit(X);
      results.push({ mean: s.mean, t: (await s.transform(X)).data, filled: (await imp.transform(X)).data });
    }
    expectClose(results[0].mean, results[1].mean, 1e-12);
    expectClose(results[0].t, results[1].t, 1e-12);
    expect(results[0].filled).toEqual(results[1].filled);
  });

  it.runIf(available.includes('webgpu'))('refuses the WebGPU backend with E_BACKEND_LIMIT (f64 kernels are CPU-only)', async () => {
    await expect(new StandardScaler({ backend: 'webgpu' }).fit([[1], [2]])).rejects.toThrowError(code('E_BACKEND_LIMIT'));
  });

  it.runIf(cpu.includes('native'))('native affineColumns matches the js reference element for element', async () => {
    const X = randomData(1000, 17, 3, 0.1);
    const shift = Float64Array.from({ length: 17 }, (_, c) => c - 5),
      scale = Float64Array.from({ length: 17 }, (_, c) => 1 / (c + 1));
    const fill = Float64Array.from({ length: 17 }, (_, c) => c * 2);
    for (const f of [null, fill]) {
      const a = await (await resolveBackend('native', 1)).linear!.affineColumns(X.data, 1000, 17, shift, scale, f);
      const b = await (await resolveBackend('js', 1)).linear!.affineColumns(X.data, 1000, 17, shift, scale, f);
      expectClose(a, b, 0);
    }
  });
});

describe('Normalizer', () => {
  it('gives unit rows under each norm and leaves zero rows alone', async () => {
    const X = [
      [3, -4],
      [0, 0],
      [1, 1],
    ];
    expectClose((await new Normalizer().fitTransform(X)).data, Float64Array.of(0.6, -0.8, 0, 0, Math.SQRT1_2, Math.SQRT1_2), 1e-15);
    expect((await new Normalizer({ norm: 'l1' }).fitTransform(X)).toArray()).toEqual([
      [3 / 7, -4 / 7],
      [0, 0],
      [0.5, 0.5],
    ]);
    expect((await new Normalizer({ norm: 'max' }).fitTransform(X)).toArray()).toEqual([
      [0.75, -1],
      [0, 0],
      [1, 1],
    ]);
    for (const norm of ['l2', 'l1', 'max'] as const) {
      await expect(new Normalizer({ norm }).transform([[1, NaN]])).rejects.toThrowError(code('E_NONFINITE'));
    }
  });
});

describe('categorical encoders', () => {
  const X = [
    ['red', 'S'],
    ['blue', 'M'],
    ['red', 'L'],
    ['green', 'M'],
  ];

  it('OneHotEncoder sorts categories, names outputs and drops as asked', async () => {
    const e = await new OneHotEncoder().fit(X);
    expect(e.categories).toEqual([
      ['blue', 'green', 'red'],
      ['L', 'M', 'S'],
    ]);
    expect(e.featureNamesOut(['colour', 'size'])).toEqual(['colour_blue', 'colour_green', 'colour_red', 'size_L', 'size_M', 'size_S']);
    const t = (await e.transform(X)).toArray();
    expect(t[0]).toEqual([0, 0, 1, 0, 0, 1]);
    t.forEach((r) => expect(r.reduce((a, b) => a + b, 0)).toBe(2));
    const first = await new OneHotEncoder({ drop: 'first' }).fit(X);
    expect((await first.transform([['blue', 'L']])).toArray()).toEqual([[0, 0, 0, 0]]);
    const binary = await new OneHotEncoder({ drop: 'if_binary' }).fit([
      ['y', 1],
      ['n', 2],
      ['y', 3],
    ]);
    expect(binary.featureNamesOut()).toEqual(['x0_y', 'x1_1', 'x1_2', 'x1_3']);
  });

  it('OneHotEncoder refuses or zeroes unseen categories', async () => {
    await expect((await new OneHotEncoder().fit(X)).transform([['pink', 'S']])).rejects.toThrowError(code('E_PARAM'));
    const ignore = await new OneHotEncoder({ handleUnknown: 'ignore' }).fit(X);
    expect((await ignore.transform([['pink', 'S']])).toArray()).toEqual([[0, 0, 0, 0, 0, 1]]);
  });

  it('OrdinalEncoder round-trips and maps unseen values to unknownValue', async () => {
    const e = await new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: -1 }).fit(X);
    const codes = await e.transform(X);
    expect(codes.toArray()).toEqual([
      [2, 2],
      [0, 1],
      [2, 0],
      [1, 1],
    ]);
    expect(await e.inverseTransform(codes)).toEqual(X);
    expect((await e.transform([['pink', 'M']])).toArray()).toEqual([[-1, 1]]);
    await expect((await new OrdinalEncoder().fit(X)).transform([['pink', 'M']])).rejects.toThrowError(code('E_PARAM'));
  });

  it('rejects ragged, empty and non-categorical input', async () => {
    await expect(new OneHotEncoder().fit([])).rejects.toThrowError(code('E_EMPTY'));
    await expect(new OneHotEncoder().fit([['a'], ['b', 'c']])).rejects.toThrowError(code('E_SHAPE'));
    await expect(new OrdinalEncoder().fit([[{} as never]])).rejects.toThrowError(code('E_DTYPE'));
    await expect(new OrdinalEncoder().fit([[Infinity]])).rejects.toThrowError(code('E_DTYPE')); // NaN is missing (scikit-learn 1.2), ±Infinity is not a category
    const e = await new OrdinalEncoder().fit(X);
    await expect(e.transform([['red']])).rejects.toThrowError(code('E_SHAPE'));
  });
});

describe('feature expansion, binning and distribution maps', () => {
  it('PolynomialFeatures counts and products follow the closed form', async () => {
    const p = await new PolynomialFeatures({ degree: 3, includeBias: false }).fit([[2, 3]]);
    // monomials of degree 1..3 in 2 variables: 2 + 3 + 4
    expect(p.nOutputFeatures).toBe(9);
    expect((await p.transform([[2, 3]])).toArray()).toEqual([[2, 3, 4, 6, 9, 8, 12, 18, 27]]);
    expect(p.featureNamesOut(['a', 'b'])).toEqual(['a', 'b', 'a^2', 'a b', 'b^2', 'a^3', 'a^2 b', 'a b^2', 'b^3']);
    const inter = await new PolynomialFeatures({ degree: 3, interactionOnly: true }).fit([[1, 2, 3]]);
    expect((await inter.transform([[1, 2, 3]])).toArray()).toEqual([[1, 1, 2, 3, 2, 3, 6, 6]]);
    expect(() => new PolynomialFeatures({ degree: -1 })).toThrowError(code('E_PARAM'));
  });

  it('KBinsDiscretizer one-hot has exactly one bin set per column, and out-of-range values go to the end bins', async () => {
    const X = randomData(200, 3, 11);
    const k = await new KBinsDiscretizer({ nBins: 4, strategy: 'uniform', encode: 'onehot' }).fit(X);
    const t = (await k.transform(X)).toArray();
    t.forEach((r) => expect(r.reduce((a, b) => a + b, 0)).toBe(3));
    const ord = await new KBinsDiscretizer({ nBins: 4, strategy: 'uniform' }).fit(X);
    expect((await ord.transform([[-1e9, 1e9, 0]])).toArray()[0].slice(0, 2)).toEqual([0, 3]);
    const q = await new KBinsDiscretizer({ nBins: 4 }).fit(X);
    const counts = [0, 0, 0, 0];
    (await q.transform(X)).toArray().forEach((r) => counts[r[0]]++);
    counts.forEach((c) => expect(c).toBe(50)); // quantile bins are equally filled
    await expect(q.transform([[NaN, 0, 0]])).rejects.toThrowError(code('E_PARAM'));
  });

  it('QuantileTransformer (uniform) is monotone, in [0, 1], and maps training quantiles onto references', async () => {
    const X = randomData(500, 2, 5);
    const q = await new QuantileTransformer({ nQuantiles: 50 }).fit(X);
    const t = await q.transform(X);
    const pairs = X.toArray()
      .map((r, i) => [r[0], t.data[i * 2]])
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < pairs.length; i++) expect(pairs[i][1]).toBeGreaterThanOrEqual(pairs[i - 1][1]);
    expect(pairs[0][1]).toBe(0);
    expect(pairs[pairs.length - 1][1]).toBe(1);
  });

  it('PowerTransformer output is standardised, and Box-Cox refuses non-positive data', async () => {
    const rng = new Rng(9);
    const X = Array.from({ length: 400 }, () => [Math.exp(rng.random() * 3), rng.random() * 10 - 5]);
    const p = await new PowerTransformer().fit(X);
    const t = (await p.transform(X)).toArray();
    for (let c = 0; c < 2; c++) {
      const col = t.map((r) => r[c]),
        mean = col.reduce((a, b) => a + b, 0) / col.length;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length).toBeCloseTo(1, 12);
    }
    // log-normal data: Box-Cox finds λ ≈ 0 (the log)
    const bc = await new PowerTransformer({ method: 'box-cox', standardize: false }).fit(X.map((r) => [r[0]]));
    expect(Math.abs(bc.lambdas[0])).toBeLessThan(0.15);
    await expect(new PowerTransformer({ method: 'box-cox' }).fit([[1], [0]])).rejects.toThrowError(code('E_PARAM'));
    await expect(bc.transform([[-2]])).rejects.toThrowError(code('E_PARAM'));
  });

  it('brentMinimize finds closed-form minima, including outside the starting bracket', () => {
    expect(brentMinimize((x) => (x - 0.3) ** 2, -2, 2)).toBeCloseTo(0.3, 7);
    expect(brentMinimize((x) => (x - 17) ** 2 + 1, -2, 2)).toBeCloseTo(17, 6);
    expect(brentMinimize((x) => Math.cosh(x + 5), -2, 2)).toBeCloseTo(-5, 6);
  });
});

describe('OneHotEncoder infrequent categories (expectations from scikit-learn 1.2.1)', () => {
  const col0 = [...'aaaaabbbcccdee'],
    col1 = [...'xxyyzzxxyyzzxw'];
  const X = col0.map((v, i) => [v, col1[i]]);
  const probe = [
    ['d', 'w'],
    ['q', 'x'],
    ['a', 'z'],
  ];
  const cases: [Record<string, number>, string[][], string[], number[][]][] = [
    [
      { minFrequency: 3 },
      [['d', 'e'], ['w']],
      ['x0_a', 'x0_b', 'x0_c', 'x0_infrequent_sklearn', 'x1_x', 'x1_y', 'x1_z', 'x1_infrequent_sklearn'],
      [
        [0, 0, 0, 1, 0, 0, 0, 1],
        [0, 0, 0, 1, 1, 0, 0, 0],
        [1, 0, 0, 0, 0, 0, 1, 0],
      ],
    ],
    [
      { maxCategories: 3 },
      [
        ['b', 'd', 'e'],
        ['w', 'y'],
      ],
      ['x0_a', 'x0_c', 'x0_infrequent_sklearn', 'x1_x', 'x1_z', 'x1_infrequent_sklearn'],
      [
        [0, 0, 1, 0, 0, 1],
        [0, 0, 1, 1, 0, 0],
        [1, 0, 0, 0, 1, 0],
      ],
    ],
    [
      { minFrequency: 0.2, maxCategories: 2 },
      [
        ['b', 'c', 'd', 'e'],
        ['w', 'y', 'z'],
      ],
      ['x0_a', 'x0_infrequent_sklearn', 'x1_x', 'x1_infrequent_sklearn'],
      [
        [0, 1, 0, 1],
        [0, 1, 1, 0],
        [1, 0, 0, 1],
      ],
    ],
  ];
  it.each(cases)('%j', async (params, infrequent, names, encoded) => {
    const e = await new OneHotEncoder({ handleUnknown: 'infrequent_if_exist', ...params }).fit(X);
    expect(e.infrequentCategories).toEqual(infrequent);
    expect(e.featureNamesOut()).toEqual(names);
    expect((await e.transform(probe)).toArray()).toEqual(encoded);
  });

  it('refuses drop together with infrequent grouping, and bad thresholds', () => {
    expect(() => new OneHotEncoder({ drop: 'first', minFrequency: 2 })).toThrowError(code('E_PARAM'));
    expect(() => new OneHotEncoder({ minFrequency: 1.5 })).toThrowError(code('E_PARAM'));
    expect(() => new OneHotEncoder({ maxCategories: 0 })).toThrowError(code('E_PARAM'));
  });
});

describe('distribution maps invert', () => {
  const rng = new Rng(21);
  const X = Array.from({ length: 300 }, () => [Math.exp(rng.normal()), rng.random() * 20 - 10]);

  it('PowerTransformer.inverseTransform undoes transform (Yeo-Johnson and Box-Cox)', async () => {
    for (const [method, data] of [
      ['yeo-johnson', X],
      ['box-cox', X.map((r) => [r[0], r[1] + 11])],
    ] as const) {
      const p = await new PowerTransformer({ method }).fit(data);
      const back = (await p.inverseTransform(await p.transform(data))).toArray();
      back.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(data[i][j], 9)));
    }
  });

  it('QuantileTransformer.inverseTransform maps training values back (uniform and normal)', async () => {
    for (const outputDistribution of ['uniform', 'normal'] as const) {
      const q = await new QuantileTransformer({ nQuantiles: 300, outputDistribution }).fit(X);
      const back = (await q.inverseTransform(await q.transform(X))).toArray();
      back.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(X[i][j], 6)));
    }
  });
});

describe('SimpleImputer on categorical (string) columns', () => {
  // scikit-learn 1.2.1 on the same data (np.nan for the missing cells, dtype object)
  const X = [
    ['b', 'x'],
    [null, 'y'],
    ['a', null],
    ['b', 'y'],
    [NaN, 'x'],
    ['a', 'z'],
  ];

  it("most_frequent: ties go to the smallest value, output keeps the input's form", async () => {
    const imp = await new SimpleImputer({ strategy: 'most_frequent' }).fit(X);
    expect(imp.categoricalStatistics).toEqual(['a', 'x']); // statistics_ ['a' 'x']
    expect(await imp.transform(X)).toEqual([
      ['b', 'x'],
      ['a', 'y'],
      ['a', 'x'],
      ['b', 'y'],
      ['a', 'x'],
      ['a', 'z'],
    ]);
    expect(await imp.transform([[undefined, 'q']] as unknown[][])).toEqual([['a', 'q']]);
    // columns in ({ columns }, as ColumnTransformer passes them) → columns out; a Matrix of NaN (an all-null batch) too
    expect(
      await imp.transform({
        columns: [
          ['c', null],
          [null, 'y'],
        ],
      }),
    ).toEqual({
      columns: [
        ['c', 'a'],
        ['x', 'y'],
      ],
    });
    expect(await imp.transform(new Matrix(Float64Array.of(NaN, NaN), 1, 2))).toEqual({ columns: [['a'], ['x']] });
    // a column table keeps its names
    expect(await imp.transform({ rows: 2, columns: { c: ['b', null], d: [null, 'z'] } })).toEqual({ rows: 2, columns: { c: ['b', 'a'], d: ['x', 'z'] } });
    expect(() => imp.statistics).toThrowError(code('E_DTYPE'));
  });

  it("constant: fillValue, default 'missing_value' as scikit-learn; missingValues as a string", async () => {
    const dflt = await new SimpleImputer({ strategy: 'constant' }).fit(X);
    expect(dflt.categoricalStatistics).toEqual(['missing_value', 'missing_value']);
    expect(await dflt.transform(X)).toEqual([
      ['b', 'x'],
      ['missing_value', 'y'],
      ['a', 'missing_value'],
      ['b', 'y'],
      ['missing_value', 'x'],
      ['a', 'z'],
    ]);
    const q = await new SimpleImputer({ strategy: 'constant', fillValue: '?' }).fit(X);
    expect(q.categoricalStatistics).toEqual(['?', '?']);
    // missing_values='?' with most_frequent: statistics_ ['b'], [['b'], ['a'], ['b'], ['b'], ['b']]
    const mv = await new SimpleImputer({ strategy: 'most_frequent', missingValues: '?' }).fit([['b'], ['a'], ['?'], ['b'], ['?']]);
    expect(mv.categoricalStatistics).toEqual(['b']);
    expect(await mv.transform([['b'], ['a'], ['?'], ['b'], ['?']])).toEqual([['b'], ['a'], ['b'], ['b'], ['b']]);
  });

  it('an all-missing column: most_frequent drops it (keepEmptyFeatures fills 0), constant fills it', async () => {
    const A = [
      ['a', null],
      ['b', null],
      [null, null],
    ];
    expect(await new SimpleImputer({ strategy: 'most_frequent' }).fitTransform(A)).toEqual([['a'], ['b'], ['a']]);
    expect(await new SimpleImputer({ strategy: 'most_frequent', keepEmptyFeatures: true }).fitTransform(A)).toEqual([
      ['a', 0],
      ['b', 0],
      ['a', 0],
    ]);
    expect(await new SimpleImputer({ strategy: 'constant' }).fitTransform(A)).toEqual([
      ['a', 'missing_value'],
      ['b', 'missing_value'],
      ['missing_value', 'missing_value'],
    ]);
  });

  it('addIndicator appends 0/1 columns for the columns that had gaps at fit', async () => {
    const imp = await new SimpleImputer({ strategy: 'most_frequent', addIndicator: true }).fit(X);
    // scikit-learn: [['b','x',False,False], ['a','y',True,False], ['a','x',False,True], ...]
    expect(await imp.transform(X)).toEqual([
      ['b', 'x', 0, 0],
      ['a', 'y', 1, 0],
      ['a', 'x', 0, 1],
      ['b', 'y', 0, 0],
      ['a', 'x', 1, 0],
      ['a', 'z', 0, 0],
    ]);
  });

  it('mean/median on strings, a bad strategy, a bad fillValue and a string fill for numbers are E_PARAM', async () => {
    await expect(new SimpleImputer({ strategy: 'mean' }).fit(X)).rejects.toThrowError(code('E_PARAM'));
    await expect(new SimpleImputer({ strategy: 'median' }).fit(X)).rejects.toThrowError(/most_frequent' or 'constant/);
    expect(() => new SimpleImputer({ strategy: 'mode' as 'mean' })).toThrowError(code('E_PARAM'));
    expect(() => new SimpleImputer({ fillValue: {} as unknown as string })).toThrowError(code('E_PARAM'));
    await expect(new SimpleImputer({ strategy: 'constant', fillValue: 'x' }).fit([[1, NaN]])).rejects.toThrowError(code('E_PARAM'));
    const imp = await new SimpleImputer({ strategy: 'most_frequent' }).fit(X);
    await expect(imp.transform([['a']])).rejects.toThrowError(code('E_SHAPE'));
    await expect(imp.transform([[{}, 'x']] as unknown[][])).rejects.toThrowError(code('E_DTYPE'));
  });

  it('the numeric path is unchanged (numbers and null give a Matrix)', async () => {
    const imp = await new SimpleImputer({ strategy: 'most_frequent' }).fit([
      [1, null],
      [2, 5],
      [2, 5],
    ] as number[][]);
    expect(Array.from(imp.statistics)).toEqual([2, 5]);
    expect((await imp.transform([[null, 1]] as unknown as number[][])).toArray()).toEqual([[2, 1]]);
    expect(imp.getParams().fillValue).toBeUndefined();
    expect((await new SimpleImputer({ strategy: 'constant' }).fitTransform([[NaN]])).toArray()).toEqual([[0]]);
  });

  it('Pipeline [SimpleImputer(most_frequent) → OneHotEncoder] inside a ColumnTransformer takes rows with null categoricals, and round-trips toPlain', async () => {
    const rowsIn = [
      [1, 'red'],
      [2, null],
      [3, 'blue'],
      [null, 'red'],
      [5, 'green'],
    ];
    const ct = new ColumnTransformer([
      ['num', new SimpleImputer({ strategy: 'median' }), [0]],
      [
        'cat',
        new Pipeline([
          ['impute', new SimpleImputer({ strategy: 'most_frequent' })],
          ['onehot', new OneHotEncoder({ handleUnknown: 'ignore' })],
        ]),
        [1],
      ],
    ]);
    const out = (await ct.fitTransform(rowsIn)) as Matrix;
    // num: median 2.5; cat: blue, green, red (red most frequent fills row 1)
    expect(out.toArray()).toEqual([
      [1, 0, 0, 1],
      [2, 0, 0, 1],
      [3, 1, 0, 0],
      [2.5, 0, 0, 1],
      [5, 0, 1, 0],
    ]);
    // a batch whose categorical cells are all null (ColumnTransformer hands a NaN Matrix) and a column table
    expect(((await ct.transform([[7, null]])) as Matrix).toArray()).toEqual([[7, 0, 0, 1]]);
    expect(
      (
        (await ct.transform([
          [7, 'green'],
          [null, null],
        ])) as Matrix
      ).toArray(),
    ).toEqual([
      [7, 0, 1, 0],
      [2.5, 0, 0, 1],
    ]);
    const back = (await fromPlain(JSON.parse(JSON.stringify(await toPlain(ct))))) as ColumnTransformer;
    expect(
      (
        (await back.transform([
          [7, null],
          [1, 'blue'],
        ])) as Matrix
      ).toArray(),
    ).toEqual([
      [7, 0, 0, 1],
      [1, 1, 0, 0],
    ]);
  });

  it('by name on a column table (string columns with nulls), as the CLI and the server pass it', async () => {
    const table = { rows: 4, columns: { x: Float64Array.of(1, 2, 3, 4), c: ['u', null, 'v', 'v'] as (string | null)[] } };
    const ct = new ColumnTransformer([
      ['num', 'passthrough', ['x']],
      [
        'cat',
        new Pipeline([
          ['impute', new SimpleImputer({ strategy: 'constant', fillValue: '(missing)' })],
          ['ord', new OrdinalEncoder()],
        ]),
        ['c'],
      ],
    ]);
    expect(((await ct.fitTransform(table)) as Matrix).toArray()).toEqual([
      [1, 1],
      [2, 0],
      [3, 2],
      [4, 2],
    ]);
    expect(((await ct.transform({ rows: 1, columns: { x: Float64Array.of(9), c: [null] } })) as Matrix).toArray()).toEqual([[9, 0]]);
  });
});
