/**
 * DBSCAN: labels and core samples equal scikit-learn 1.2's (<dataset>.dbscan.json) on every CPU
 * backend, weights as repeated rows, noise, and bad input.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DBSCAN, dispose } from '../../src/index.js';
import { available } from '../helpers/backends.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

afterAll(async () => {
  await dispose();
});

const code = (c: string) => expect.objectContaining({ code: c });

describe('DBSCAN parity with scikit-learn (exact labels)', () => {
  for (const ds of ['iris', 'wine', 'breast_cancer']) {
    for (const backend of available) {
      it(`${ds} on ${backend}`, async () => {
        const f = loadFixture(ds, 'dbscan');
        const p = f.params as { eps: number; min_samples: number };
        const db = await new DBSCAN({ eps: p.eps, minSamples: p.min_samples, backend }).fit(f.input.X);
        expectParity(f, 'labels_', db.labels);
        expectParity(f, 'core_sample_indices_', db.coreSampleIndices);
        expect(db.components.rows).toBe(db.coreSampleIndices.length);
      });
    }
  }
});

describe('DBSCAN', () => {
  it('two dense groups and an outlier; a weight counts as repeated rows', async () => {
    const X = [[0], [0.1], [0.2], [5], [5.1], [5.2], [20]];
    expect(Array.from(await new DBSCAN({ eps: 0.15, minSamples: 2 }).fitPredict(X))).toEqual([0, 0, 0, 1, 1, 1, -1]);
    expect(Array.from(await new DBSCAN({ eps: 0.5, minSamples: 4 }).fitPredict(X))).toEqual([-1, -1, -1, -1, -1, -1, -1]);
    const w = await new DBSCAN({ eps: 0.5, minSamples: 4 }).fit(X, undefined, { sampleWeight: [1, 3, 1, 1, 1, 1, 4] });
    expect(Array.from(w.labels)).toEqual([0, 0, 0, -1, -1, -1, 1]);
    expect(Array.from(w.coreSampleIndices)).toEqual([0, 1, 2, 6]);
  });

  it('refuses bad input', async () => {
    expect(() => new DBSCAN({ eps: 0 })).toThrow(/eps/);
    expect(() => new DBSCAN({ eps: -1 })).toThrow(code('E_PARAM'));
    expect(() => new DBSCAN({ minSamples: 0 })).toThrow(/minSamples/);
    await expect(new DBSCAN().fit([])).rejects.toThrow(code('E_EMPTY'));
    await expect(new DBSCAN().fit([[NaN]])).rejects.toThrow(code('E_NONFINITE'));
    expect(() => new DBSCAN().labels).toThrow(code('E_NOT_FITTED'));
  });
});
