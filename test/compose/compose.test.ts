/** Pipeline and ColumnTransformer: equal to the steps run by hand, fitted on train only, bad input. */
import { describe, expect, it } from 'vitest';
import {
  ColumnTransformer,
  CsrMatrix,
  LogisticRegression,
  Matrix,
  OneHotEncoder,
  Pipeline,
  Ridge,
  SimpleImputer,
  StandardScaler,
  TargetEncoder,
} from '../../src/index.js';
import { loadFixture } from '../helpers/fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('Pipeline', () => {
  it('scaler + logistic regression equals the two steps by hand, with test data scaled by train statistics', async () => {
    const f = loadFixture('iris', 'logistic_regression');
    const pipe = await new Pipeline([
      ['scale', new StandardScaler()],
      ['clf', new LogisticRegression()],
    ]).fit(f.input.X, f.input.y);
    const scaler = await new StandardScaler().fit(f.input.X);
    const clf = await new LogisticRegression().fit(await scaler.transform(f.input.X), f.input.y);
    const Xt = await scaler.transform(f.input.X_test);
    expect(((await pipe.predictProba(f.input.X_test)) as Matrix).toArray()).toEqual((await clf.predictProba(Xt)).toArray());
    expect(await pipe.predict(f.input.X_test)).toEqual(await clf.predict(Xt));
    expect(await pipe.score(f.input.X_test, f.input.y_test)).toBe(await clf.score(Xt, f.input.y_test));
    expect((pipe.namedSteps.scale as StandardScaler).mean).toEqual(scaler.mean);
  });

  it('passes fit options to the final step and clones unfitted', async () => {
    const X = [
        [1, 2],
        [2, 1],
        [3, 5],
        [4, 3],
      ],
      y = [1, 2, 3, 5],
      sampleWeight = [1, 2, 1, 3];
    const pipe = await new Pipeline([
      ['scale', new StandardScaler()],
      ['ridge', new Ridge({ alpha: 0.5 })],
    ]).fit(X, y, { sampleWeight });
    const ridge = await new Ridge({ alpha: 0.5 }).fit(await new StandardScaler().fitTransform(X), y, { sampleWeight });
    expect((pipe.namedSteps.ridge as Ridge).coef).toEqual(ridge.coef);
    const copy = pipe.clone();
    await expect(copy.predict(X)).rejects.toThrowError(code('E_NOT_FITTED'));
    expect(() => (copy.namedSteps.ridge as Ridge).coef).toThrowError(code('E_NOT_FITTED'));
  });

  it('rejects malformed steps and missing methods', async () => {
    expect(() => new Pipeline([])).toThrowError(code('E_PARAM'));
    expect(
      () =>
        new Pipeline([
          ['a', new StandardScaler()],
          ['a', new Ridge()],
        ]),
    ).toThrowError(code('E_PARAM'));
    expect(
      () =>
        new Pipeline([
          ['ridge', new Ridge()],
          ['scale', new StandardScaler()],
        ]),
    ).toThrowError(code('E_PARAM'));
    const p = await new Pipeline([
      ['imp', new SimpleImputer()],
      ['scale', new StandardScaler()],
    ]).fit([[1], [NaN], [3]]);
    expect((await p.transform([[NaN]])).toArray()).toEqual([[0]]);
    await expect(p.predict([[1]])).rejects.toThrowError(code('E_PARAM'));
  });
});

describe('ColumnTransformer', () => {
  const rows = [
    [1, 10, 'a', 7],
    [null, 20, 'b', 8],
    [3, null, 'a', 9],
    [5, 40, 'c', 6],
  ];

  it('imputes and scales numbers, one-hot encodes strings, passes the rest through — as by hand', async () => {
    const numeric = new Pipeline([
      ['imp', new SimpleImputer({ strategy: 'median' })],
      ['scale', new StandardScaler()],
    ]);
    const ct = new ColumnTransformer(
      [
        ['num', numeric, [0, 1]],
        ['cat', new OneHotEncoder({ handleUnknown: 'ignore' }), [2]],
      ],
      { remainder: 'passthrough' },
    );
    const out = await ct.fitTransform(rows);
    const num = await new Pipeline([
      ['imp', new SimpleImputer({ strategy: 'median' })],
      ['scale', new StandardScaler()],
    ]).fitTransform(rows.map((r) => [r[0], r[1]]) as number[][]);
    const cat = await new OneHotEncoder().fitTransform(rows.map((r) => [r[2]]) as string[][]);
    expect(out.cols).toBe(2 + 3 + 1);
    out.toArray().forEach((r, i) => expect(r).toEqual([...num.toArray()[i], ...cat.toArray()[i], rows[i][3]]));
    // transform reuses the training statistics; an unseen category encodes as zeros
    const t = (await ct.transform([[1, 10, 'z', 0]])).toArray()[0];
    expect(t.slice(0, 2)).toEqual(out.toArray()[0].slice(0, 2));
    expect(t.slice(2)).toEqual([0, 0, 0, 0]);
  });

  it('works on a numeric Matrix and drops unnamed columns by default', async () => {
    const X = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const out = await new ColumnTransformer([['keep', 'passthrough', [2, 0]]]).fitTransform(X);
    expect(out.toArray()).toEqual([
      [3, 1],
      [6, 4],
    ]);
  });

  it('rejects bad specs and mismatched input with stable codes', async () => {
    expect(() => new ColumnTransformer([['x', new StandardScaler(), []]])).toThrowError(code('E_PARAM'));
    expect(() => new ColumnTransformer([['x', {} as never, [0]]])).toThrowError(code('E_PARAM'));
    expect(() => new ColumnTransformer([['x', 'drop', [0]]], { remainder: 'keep' as never })).toThrowError(code('E_PARAM'));
    const ct = new ColumnTransformer([['num', new StandardScaler(), [0, 5]]]);
    await expect(ct.fit(rows)).rejects.toThrowError(code('E_SHAPE'));
    const ok = await new ColumnTransformer([['num', new StandardScaler(), [0]]], { remainder: 'passthrough' }).fit([
      [1, 2],
      [3, 4],
    ]);
    await expect(ok.transform([[1, 2, 3]])).rejects.toThrowError(code('E_SHAPE'));
    await expect(new ColumnTransformer([['p', 'passthrough', [2]]]).fit(rows)).rejects.toThrowError(code('E_DTYPE'));
    await expect(new ColumnTransformer([['n', new StandardScaler(), [2]]]).fit(rows)).rejects.toThrowError(code('E_DTYPE'));
    await expect(new ColumnTransformer([['n', new StandardScaler(), [0]]]).transform(rows)).rejects.toThrowError(code('E_NOT_FITTED'));
  });
});

describe('sparse one-hot output', () => {
  it('OneHotEncoder sparseOutput gives the dense encoding as CSR, and ColumnTransformer stacks it with dense blocks', async () => {
    const rows = [
      ['a', 'x'],
      ['b', 'y'],
      ['a', 'z'],
      ['c', 'x'],
    ];
    const dense = await new OneHotEncoder().fitTransform(rows);
    const enc = await new OneHotEncoder({ sparseOutput: true, handleUnknown: 'ignore' }).fit(rows);
    const sparse = (await enc.transform(rows)) as unknown as CsrMatrix;
    expect(sparse).toBeInstanceOf(CsrMatrix);
    expect(sparse.nnz).toBe(8);
    expect(sparse.toArray()).toEqual(dense.toArray());
    expect(((await enc.transform([['q', 'y']])) as unknown as CsrMatrix).toArray()).toEqual([[0, 0, 0, 0, 1, 0]]);
    const mixed = rows.map((r, i) => [i - 1, ...r]);
    const ct = new ColumnTransformer([
      ['n', 'passthrough', [0]],
      ['c', new OneHotEncoder({ sparseOutput: true }), [1, 2]],
    ]);
    const out = (await ct.fitTransform(mixed)) as CsrMatrix;
    expect(out).toBeInstanceOf(CsrMatrix);
    expect(out.toArray()).toEqual(dense.toArray().map((r, i) => [i - 1, ...r]));
    expect(out.nnz).toBe(8 + 3); // the dense block's zero is not stored
  });
});

describe('ColumnTransformer on a column table', () => {
  const table = {
    rows: 4,
    columns: {
      delay: Float64Array.of(1, NaN, 3, 5),
      distance: Float64Array.of(10, 20, NaN, 40),
      origin: ['a', 'b', 'a', 'c'],
      destination: ['x', 'y', 'z', 'x'],
    },
  };

  it('selects columns by name and gives what the row form gives', async () => {
    const make = (cols: 'names' | 'indices') =>
      new ColumnTransformer([
        [
          'num',
          new Pipeline([
            ['imp', new SimpleImputer()],
            ['scale', new StandardScaler()],
          ]),
          cols === 'names' ? ['delay', 'distance'] : [0, 1],
        ],
        ['cat', new OneHotEncoder({ sparseOutput: true }), cols === 'names' ? ['origin', 'destination'] : [2, 3]],
      ]);
    const byName = (await make('names').fitTransform(table)) as CsrMatrix;
    const rows = Array.from({ length: 4 }, (_, i) => [
      table.columns.delay[i],
      table.columns.distance[i],
      table.columns.origin[i],
      table.columns.destination[i],
    ]);
    const byIndex = (await make('indices').fitTransform(rows)) as CsrMatrix;
    expect(byName.toArray()).toEqual(byIndex.toArray());
  });

  it('names a column missing at transform time, and refuses names on row input', async () => {
    const ct = await new ColumnTransformer([
      ['num', new StandardScaler(), ['delay']],
      ['cat', new OneHotEncoder(), ['origin']],
    ]).fit(table);
    const { origin: _gone, ...rest } = table.columns;
    await expect(ct.transform({ rows: 4, columns: rest })).rejects.toThrowError(/no column 'origin'/);
    await expect(ct.transform({ rows: 4, columns: rest })).rejects.toThrowError(code('E_SHAPE'));
    await expect(new ColumnTransformer([['n', new StandardScaler(), ['delay']]]).fit([[1], [2]])).rejects.toThrowError(code('E_PARAM'));
  });
});

describe('Pipeline.fitTransform', () => {
  it("uses each step's fitTransform, so a cross-fitting encoder gives its cross-fitted output", async () => {
    const X = Array.from({ length: 40 }, (_, i) => [`c${i % 20}`]);
    const y = X.map((_, i) => (i * 37) % 11);
    const viaPipeline = await new Pipeline([['te', new TargetEncoder({ smooth: 1 })]]).fitTransform(X, y);
    const direct = await new TargetEncoder({ smooth: 1 }).fitTransform(X, y);
    expect((viaPipeline as Matrix).toArray()).toEqual(direct.toArray());
    await expect(
      new Pipeline([
        ['s', new StandardScaler()],
        ['r', new Ridge()],
      ]).fitTransform([[1]], [1]),
    ).rejects.toThrowError(code('E_PARAM'));
  });
});
