/** toOnnx refuses what ONNX cannot express, and bad arguments, with stable codes; options reach the model. */
import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, KNeighborsClassifier, LogisticRegression, Pipeline, StandardScaler, toOnnx } from '../../src/index.js';
import { ModelProto } from '../../src/interop/onnx/proto.js';
import { parityData, runOnnx } from './onnx-helpers.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('toOnnx refusals', () => {
  it('a categorical split is E_UNSUPPORTED, naming the tree and feature', async () => {
    const X = Array.from({ length: 80 }, (_, i) => [i % 5, (i * 7) % 11]);
    const y = X.map(([c]) => (c === 1 || c === 3 ? 1 : 0));
    const m = await new GradientBoostingClassifier({ nEstimators: 3, categoricalFeatures: [0], minDataInLeaf: 2 }).fit(X, y);
    expect(() => toOnnx(m)).toThrow(code('E_UNSUPPORTED'));
    expect(() => toOnnx(m)).toThrow(/tree 0 splits feature 0 by category set/);
  });

  it('unfitted models are E_NOT_FITTED; models without a converter E_UNSUPPORTED; non-models E_PARAM', async () => {
    expect(() => toOnnx(new GradientBoostingClassifier())).toThrow(code('E_NOT_FITTED'));
    expect(() =>
      toOnnx(
        new Pipeline([
          ['s', new StandardScaler()],
          ['m', new LogisticRegression() as never],
        ]),
      ),
    ).toThrow(code('E_NOT_FITTED'));
    const knn = await new KNeighborsClassifier({ nNeighbors: 1 }).fit([[0], [1]], [0, 1]);
    expect(() => toOnnx(knn)).toThrow(code('E_UNSUPPORTED'));
    expect(() => toOnnx(null)).toThrow(code('E_PARAM'));
    expect(() => toOnnx(42)).toThrow(code('E_PARAM'));
  });

  it('fractional class labels have no ONNX label type: E_UNSUPPORTED', async () => {
    const m = await new LogisticRegression().fit([[0], [1], [2], [3]], [0.5, 0.5, 1.5, 1.5]);
    expect(() => toOnnx(m)).toThrow(code('E_UNSUPPORTED'));
  });

  it('bad options are E_PARAM', async () => {
    const m = await new LogisticRegression().fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
    expect(() => toOnnx(m, { opset: 7 })).toThrow(code('E_PARAM'));
    expect(() => toOnnx(m, { targetOpset: 9 })).toThrow(code('E_PARAM'));
    expect(() => toOnnx(m, { inputName: '' })).toThrow(code('E_PARAM'));
  });
});

describe('toOnnx options', () => {
  it('writes the input name and operator sets asked for, and the model runs under that name', async () => {
    const d = parityData('iris', 'logistic_regression');
    const m = await new LogisticRegression().fit(d.X, d.y);
    const bytes = toOnnx(m, { inputName: 'features', opset: 15, targetOpset: 2 });
    const decoded = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as {
      opsetImport: { domain?: string; version: number }[];
      graph: { input: { name: string }[]; output: { name: string }[] };
      producerName: string;
    };
    expect(decoded.producerName).toBe('kiln');
    expect(decoded.opsetImport).toEqual([
      { domain: '', version: 15 },
      { domain: 'ai.onnx.ml', version: 2 },
    ]);
    expect(decoded.graph.input.map((i) => i.name)).toEqual(['features']);
    expect(decoded.graph.output.map((o) => o.name)).toEqual(['label', 'probabilities']);
    const r = await runOnnx(bytes, d.f32, d.test.rows, d.test.cols, 'features');
    expect(r.label.data).toEqual(await m.predict(d.test));
  });
});
