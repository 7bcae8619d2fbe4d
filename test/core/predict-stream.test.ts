/**
 * predictStream: predictions over a stream equal one predict over all rows, in order; rows are
 * read only as results are asked for (back-pressure); object rows with strings reach a pipeline
 * as a column table; abort and bad input are clear errors.
 */
import { describe, expect, it } from 'vitest';
import {
  ColumnTransformer,
  LinearRegression,
  LogisticRegression,
  Matrix,
  OneHotEncoder,
  Pipeline,
  predictStream,
  StandardScaler,
  type PredictedBatch,
} from '../../src/index.js';

const n = 500;
const X = Array.from({ length: n }, (_, i) => [Math.sin(i * 0.37) * 3, Math.cos(i * 0.11) * 2, (i % 7) - 3]);
const y = X.map((r, i) => (r[0] + 0.5 * r[1] - 0.2 * r[2] + Math.sin(i) * 0.3 > 0 ? 'up' : 'down'));
const code = (c: string) => expect.objectContaining({ code: c });

async function collect(it: AsyncIterable<PredictedBatch>): Promise<PredictedBatch[]> {
  const out: PredictedBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

async function* slowly<T>(items: readonly T[], pulled?: { count: number }): AsyncGenerator<T> {
  for (const it of items) {
    if (pulled) pulled.count++;
    await Promise.resolve();
    yield it;
  }
}

describe('predictStream', () => {
  it('gives predict’s answers over all rows, batch by batch, with contiguous offsets', async () => {
    const model = await new LogisticRegression().fit(X, y);
    const all = Array.from((await model.predict(X)) as ArrayLike<unknown>);
    const batches = await collect(model.predictStream(slowly(X), { batchSize: 64 }));
    expect(batches.map((b) => b.rows)).toEqual([64, 64, 64, 64, 64, 64, 64, 52]);
    expect(batches.map((b) => b.offset)).toEqual([0, 64, 128, 192, 256, 320, 384, 448]);
    expect(batches.flatMap((b) => Array.from(b.predictions))).toEqual(all);
  });

  it('keeps the stream order across rows and whole batches (a Matrix, an array of rows), with probabilities', async () => {
    const model = await new LogisticRegression().fit(X, y);
    const proba = (await model.predictProba(X)) as Matrix;
    const items = [X[0], X[1], Matrix.from(X.slice(2, 102)), X[102], X.slice(103, 300), ...X.slice(300)];
    const batches = await collect(predictStream(model, items, { batchSize: 100, proba: true }));
    expect(batches.map((b) => [b.offset, b.rows])).toEqual([
      [0, 2],
      [2, 100],
      [102, 1],
      [103, 197],
      [300, 100],
      [400, 100],
    ]);
    const got = batches.flatMap((b) => Array.from(b.probabilities!.data));
    expect(got).toEqual(Array.from(proba.data));
  });

  it('reads the source only as results are asked for (back-pressure)', async () => {
    const model = await new LinearRegression().fit(
      X,
      X.map((r) => r[0] - r[1]),
    );
    const pulled = { count: 0 };
    const it = model.predictStream(slowly(X, pulled), { batchSize: 10 });
    expect(pulled.count).toBe(0);
    const first = await it.next();
    expect(first.value!.rows).toBe(10);
    expect(pulled.count).toBe(10); // nothing read ahead
    await it.next();
    expect(pulled.count).toBe(20);
    await it.return(undefined);
  });

  it('lays object rows out by name: a Matrix when all numbers, a column table for a pipeline with strings', async () => {
    const records = X.map((r, i) => ({ a: r[0], b: r[1], colour: ['red', 'green', 'blue'][i % 3] }));
    const table = {
      rows: n,
      columns: { a: Float64Array.from(X, (r) => r[0]), b: Float64Array.from(X, (r) => r[1]), colour: records.map((r) => r.colour) },
    };
    const pipe = new Pipeline([
      [
        'cols',
        new ColumnTransformer([
          ['num', new StandardScaler(), ['a', 'b']],
          ['cat', new OneHotEncoder(), ['colour']],
        ]),
      ],
      ['model', new LogisticRegression()],
    ]);
    await pipe.fit(table, y);
    const all = Array.from((await pipe.predict(table)) as ArrayLike<unknown>);
    const streamed = (await collect(pipe.predictStream(slowly(records), { batchSize: 128 }))).flatMap((b) => Array.from(b.predictions));
    expect(streamed).toEqual(all);
    // numbers only, keys in another order: `columns` fixes the layout
    const model = await new LogisticRegression().fit(
      X.map((r) => [r[0], r[1]]),
      y,
    );
    const direct = Array.from((await model.predict(X.map((r) => [r[0], r[1]]))) as ArrayLike<unknown>);
    const objs = X.map((r) => ({ b: r[1], a: r[0] }));
    const got = (await collect(model.predictStream(objs, { columns: ['a', 'b'], batchSize: 1000 }))).flatMap((b) => Array.from(b.predictions));
    expect(got).toEqual(direct);
  });

  it('stops at the next batch when aborted, with the signal’s reason', async () => {
    const model = await new LogisticRegression().fit(X, y);
    const ctrl = new AbortController();
    const it = model.predictStream(slowly(X), { batchSize: 50, signal: ctrl.signal });
    await it.next();
    ctrl.abort(new Error('enough'));
    await expect(it.next()).rejects.toThrow('enough');
  });

  it('refuses bad options at the call and bad rows by index', async () => {
    const model = await new LogisticRegression().fit(X, y);
    expect(() => model.predictStream(X, { batchSize: 0 })).toThrowError(code('E_PARAM'));
    expect(() => model.predictStream(X, { bacthSize: 3 } as never)).toThrow(/unknown option 'bacthSize'/);
    expect(() => model.predictStream(42 as never)).toThrowError(code('E_PARAM'));
    expect(() => model.predictStream(X, { format: 'csv' } as never)).toThrowError(code('E_PARAM'));
    const reg = await new LinearRegression().fit(
      X,
      X.map((r) => r[0]),
    );
    expect(() => reg.predictStream(X, { proba: true })).toThrow(/proba needs a model with predictProba/);
    await expect(collect(model.predictStream([X[0], { a: 1 }]))).rejects.toThrow(/row 1 is an object but earlier rows are arrays/);
    await expect(collect(model.predictStream([X[0], [1, 2]]))).rejects.toThrow(/row 1 has 2 values but the first row has 3/);
    await expect(collect(model.predictStream([[1, {}, 3]]))).rejects.toThrowError(code('E_DTYPE'));
    await expect(collect(model.predictStream([X[0], null]))).rejects.toThrow(/item 1 of the stream is null/);
    await expect(collect(model.predictStream([{ a: 'x', b: 1 }], { format: 'matrix' }))).rejects.toThrow(/column 'a' holds strings/);
  });
});
