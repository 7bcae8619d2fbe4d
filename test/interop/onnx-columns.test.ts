/**
 * ColumnTransformers and category encoders in ONNX: one typed [N, 1] input per column (strings
 * for encoded string columns), compared with kiln on mixed rows.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  ColumnTransformer,
  GradientBoostingClassifier,
  LogisticRegression,
  OneHotEncoder,
  OrdinalEncoder,
  Pipeline,
  SimpleImputer,
  StandardScaler,
  toOnnx,
} from '../../src/index.js';

let s = 99;
const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const colours = ['red', 'green', 'blue', 'grey'];
const sizes = [1, 2, 3];
/** Rows [x1, colour, size, x2]: the label depends on x1, the colour and the size. */
function rows(n: number, withNaN: boolean): { X: (number | string)[][]; y: number[] } {
  const X: (number | string)[][] = [],
    y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x1 = Math.fround(rand() * 4 - 2),
      colour = colours[Math.floor(rand() * (i % 9 === 0 ? 4 : 3))],
      size = sizes[Math.floor(rand() * 3)],
      x2 = withNaN && i % 5 === 0 ? NaN : Math.fround(rand());
    X.push([x1, colour, size, x2]);
    y.push(x1 + (colour === 'red' ? 1 : colour === 'blue' ? -1 : 0) + 0.4 * size > 0.8 ? 1 : 0);
  }
  return { X, y };
}

async function run(bytes: Uint8Array, X: (number | string)[][], types: ('float' | 'string')[], names = types.map((_, c) => `x${c}`)) {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    types.forEach((t, c) => {
      feeds[names[c]] =
        t === 'string'
          ? new ort.Tensor(
              'string',
              X.map((r) => String(r[c])),
              [X.length, 1],
            )
          : new ort.Tensor(
              'float32',
              Float32Array.from(X, (r) => Number(r[c])),
              [X.length, 1],
            );
    });
    const out = await session.run(feeds);
    return Object.fromEntries(
      Object.entries(out).map(([k, t]) => [k, Array.from(t.data as ArrayLike<number | bigint | string>, (v) => (typeof v === 'bigint' ? Number(v) : v))]),
    );
  } finally {
    await session.release();
  }
}

const TYPES: ('float' | 'string')[] = ['float', 'string', 'float', 'float'];

describe('toOnnx with typed column inputs', () => {
  it('Pipeline(ColumnTransformer(scaler, one-hot, ordinal, imputer), LogisticRegression)', async () => {
    const train = rows(300, true),
      test = rows(80, true);
    const ct = new ColumnTransformer([
      ['num', new StandardScaler(), [0]],
      ['colour', new OneHotEncoder({ handleUnknown: 'ignore' }), [1]],
      ['size', new OrdinalEncoder(), [2]],
      ['x2', new SimpleImputer({ strategy: 'median' }), [3]],
    ]);
    const model = new Pipeline([
      ['prep', ct],
      ['lr', new LogisticRegression() as never],
    ]);
    await model.fit(train.X, train.y);
    const out = await run(toOnnx(model), test.X, TYPES);
    expect(out.label).toEqual(await model.predict(test.X));
    const want = ((await model.predictProba(test.X)) as { data: Float64Array }).data;
    (out.probabilities as number[]).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
  });

  it('one-hot with drop and infrequent categories, unseen ones into the infrequent column, and a remainder', async () => {
    const train = rows(300, false),
      test = rows(60, false);
    test.X[0][1] = 'violet';
    test.X[1][1] = 'grey';
    const enc = new OneHotEncoder({ minFrequency: 20, handleUnknown: 'infrequent_if_exist' });
    const ct = new ColumnTransformer(
      [
        ['colour', enc, [1]],
        ['size', new OneHotEncoder({ drop: 'first' }), [2]],
      ],
      { remainder: 'passthrough' },
    );
    const model = new Pipeline([
      ['prep', ct],
      ['gb', new GradientBoostingClassifier({ nEstimators: 15, maxLeaves: 6 }) as never],
    ]);
    await model.fit(train.X, train.y);
    const transformed = (await ct.transform(test.X)) as { data: Float64Array; cols: number };
    const onnxCt = await run(toOnnx(ct), test.X, TYPES);
    expect(onnxCt.variable).toEqual(Array.from(transformed.data, (v) => Math.fround(v)));
    const out = await run(toOnnx(model), test.X, TYPES);
    expect(out.label).toEqual(await model.predict(test.X));
  });

  it('an encoder alone takes one input per column; unknown codes follow unknownValue', async () => {
    const enc = new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: -1 });
    await enc.fit([
      ['a', 3],
      ['b', 1],
      ['c', 3],
    ]);
    const X = [
      ['b', 1],
      ['z', 3],
      ['a', 7],
    ];
    const out = await run(toOnnx(enc), X, ['string', 'float']);
    expect(out.variable).toEqual(Array.from(((await enc.transform(X)) as { data: Float64Array }).data));
    expect(out.variable).toEqual([1, 0, -1, 1, 0, -1]);
  });

  it('refuses what the columns cannot carry', async () => {
    const enc = new OneHotEncoder();
    await enc.fit([['a'], ['b'], [null]]);
    expect(() => toOnnx(enc)).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED' }));
    const ordinal = new OrdinalEncoder();
    await ordinal.fit([['a'], ['b']]);
    expect(() => toOnnx(ordinal, { targetOpset: 1 })).toThrow(/operator set 2/);
    expect(() => toOnnx(new ColumnTransformer([['c', new OneHotEncoder(), [0]]]))).toThrow(expect.objectContaining({ code: 'E_NOT_FITTED' }));
  });
});
