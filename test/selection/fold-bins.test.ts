import { describe, expect, it } from 'vitest';
import { lineageOf } from '../../src/core/row-lineage.js';
import { GradientBoostingClassifier, Matrix, RandomForestClassifier } from '../../src/index.js';
import { treeBackend, trainingBins } from '../../src/models/tree/engine.js';
import { subset } from '../../src/selection/fit-score.js';

describe("a fold's bins", () => {
  it("tree models fitted on a fold's rows share its bins and equal fits on plain copies, bit for bit", async () => {
    const n = 600,
      p = 4;
    const X = new Matrix(
      Float64Array.from({ length: n * p }, (_, i) => ((i * 7919) % 1013) / 17 + (i % p === 3 ? i % 5 : 0)),
      n,
      p,
    );
    const y = Array.from({ length: n }, (_, i) => ((i * 31) % 7 < 3 ? 1 : 0));
    const data = { X, y, n, fitParams: {} };
    const train = Int32Array.from({ length: 450 }, (_, i) => (i * 4) % n);
    const plain = X.takeRows(train);
    const backend = await treeBackend('auto', 1, 'test');
    const bins = (x: unknown) => trainingBins(backend, x as Matrix, new Uint8Array(p), 255, 0, 'test');
    const [a, b] = [subset(data, train).X, subset(data, Int32Array.from(train)).X];
    expect(a).not.toBe(b);
    expect(await bins(a)).toBe(await bins(b)); // binned once for the two cuts of the same rows
    expect(await bins(plain)).not.toBe(await bins(plain)); // no lineage: binned each time
    const yTrain = Array.from(train, (i) => y[i]);
    for (const make of [
      (lr: number) => new GradientBoostingClassifier({ nEstimators: 15, learningRate: lr, maxLeaves: 7 }),
      (lr: number) => new RandomForestClassifier({ nEstimators: 5, maxDepth: lr > 0.1 ? 3 : 5, randomState: 3 }),
    ]) {
      for (const lr of [0.1, 0.3]) {
        const cut = subset(data, train);
        expect(lineageOf(cut.X as object)?.source).toBe(data);
        const shared = await make(lr).fit(cut.X as Matrix, cut.y as number[]);
        const alone = await make(lr).fit(plain, yTrain);
        expect(Array.from((await shared.predictProba(X)).data)).toEqual(Array.from((await alone.predictProba(X)).data));
      }
    }
  });
});
