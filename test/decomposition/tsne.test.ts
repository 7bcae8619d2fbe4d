/**
 * t-SNE and trustworthiness against scikit-learn 1.2 on digits-like data (the first 400 rows of
 * load_digits; test/fixtures/sklearn/digits400.tsne_trustworthiness.json): trustworthiness of a
 * fixed embedding up to tied distances, and kiln's t-SNE embedding (Barnes-Hut and exact) at least as trustworthy as
 * scikit-learn's minus 0.01 (the bar), and its KL divergence within the fixture's 2% of
 * scikit-learn's kl_divergence_. The native and js backends run the same optimisation bit for bit
 * (random start: the PCA start's solvers differ by backend). Perplexity calibration and bad input too.
 */
import { describe, expect, it } from 'vitest';
import { Matrix, TSNE, trustworthiness } from '../../src/index.js';
import { jointProbabilities } from '../../src/decomposition/tsne.js';
import { loadFixture } from '../helpers/fixtures.js';
import { hasNative, hasWebgpu } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });
const f = loadFixture('digits400', 'tsne_trustworthiness');

describe('trustworthiness', () => {
  it("equals scikit-learn's on a fixed embedding (k = 5 and 10), up to tied distances", () => {
    // Digits are integer pixels: many original-space distances tie, and numpy's argsort (not
    // stable) ranks tied neighbours its own way; kiln ranks ties by index. One rank step moves
    // T by 2 / (n·k·(2n − 3k − 1)); allow 10 steps (measured: 2 at k = 5, 6 at k = 10).
    const step = (k: number) => 2 / (400 * k * (2 * 400 - 3 * k - 1));
    expect(Math.abs(trustworthiness(f.input.X, f.input.X_embedded_fixed) - f.expected.trustworthiness_fixed)).toBeLessThanOrEqual(10 * step(5));
    expect(Math.abs(trustworthiness(f.input.X, f.input.X_embedded_fixed, { nNeighbors: 10 }) - f.expected.trustworthiness_fixed_k10)).toBeLessThanOrEqual(
      10 * step(10),
    );
    // without ties (a continuous embedding as the original space) it is exact
    const E: number[][] = f.input.X_embedded_fixed;
    expect(trustworthiness(E, E)).toBe(1);
  });

  it('is 1 for the identity embedding, and refuses bad arguments', () => {
    const X = [
      [0, 0],
      [1, 0],
      [0, 2],
      [3, 3],
      [5, 1],
      [2, 7],
    ];
    expect(trustworthiness(X, X, { nNeighbors: 2 })).toBe(1);
    expect(() => trustworthiness(X, X, { nNeighbors: 3 })).toThrow(code('E_PARAM'));
    expect(() => trustworthiness(X, X.slice(1), { nNeighbors: 2 })).toThrow(code('E_SHAPE'));
    expect(() => trustworthiness([[Number.NaN], [1], [2], [3], [4]], [[0], [1], [2], [3], [4]], { nNeighbors: 1 })).toThrow(code('E_NONFINITE'));
  });
});

describe('TSNE', () => {
  it.each(['barnes_hut', 'exact'] as const)(
    "%s embeds digits at least as trustworthily as scikit-learn's t-SNE minus 0.01",
    async (method) => {
      const tsne = new TSNE({ randomState: 0, method });
      const Y = await tsne.fitTransform(f.input.X);
      expect(Y.rows).toBe(400);
      expect(Y.cols).toBe(2);
      expect(tsne.learningRateUsed).toBe(50); // 'auto': max(400 / 12 / 4, 50)
      const t = trustworthiness(f.input.X, Y);
      expect(t).toBeGreaterThanOrEqual(f.expected.tsne_trustworthiness - 0.01);
      const again = await new TSNE({ randomState: 0, method }).fitTransform(f.input.X);
      expect(again.data).toEqual(Y.data); // same seed, same result
    },
    60_000,
  );

  it("reaches scikit-learn's KL divergence on digits (within the fixture's tolerance)", async () => {
    const tsne = await new TSNE({ randomState: 0 }).fit(f.input.X);
    const want = f.expected.tsne_kl_divergence;
    expect(Math.abs(tsne.klDivergence - want)).toBeLessThanOrEqual((f.tolerance.per_key?.tsne_kl_divergence?.rtol ?? 0) * want);
  }, 60_000);

  it.runIf(hasNative)(
    'native and js backends embed identically (the gradient is the same arithmetic)',
    async () => {
      const run = (backend: 'native' | 'js') => new TSNE({ randomState: 0, init: 'random', backend, nIter: 400 }).fit(f.input.X.slice(0, 200));
      const [a, b] = await Promise.all([run('native'), run('js')]);
      expect(Array.from(a.embedding.data)).toEqual(Array.from(b.embedding.data));
      expect(Math.abs(a.klDivergence - b.klDivergence)).toBeLessThanOrEqual(1e-12 * b.klDivergence);
      expect(a.nIterRun).toBe(b.nIterRun);
    },
    60_000,
  );

  it.runIf(hasWebgpu)("refuses an explicit 'webgpu' backend (no WGSL t-SNE kernel) before any work", async () => {
    await expect(new TSNE({ backend: 'webgpu' }).fit(f.input.X)).rejects.toThrow(code('E_BACKEND_LIMIT'));
  });

  it('calibrates each row to the perplexity asked for', () => {
    const n = 50,
      x = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(i * 1.3), i / 10]);
    const d2 = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d2[i * n + j] = x[i].reduce((a, v, t) => a + (v - x[j][t]) ** 2, 0);
    const P = jointProbabilities(d2, n, 10);
    expect(P.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 10);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(P[i * n + j]).toBe(P[j * n + i]);
  });

  it('refuses bad input with coded errors', async () => {
    await expect(new TSNE({ perplexity: 5 }).fitTransform(new Matrix(new Float64Array(8), 4, 2))).rejects.toThrow(code('E_PARAM'));
    expect(() => new TSNE({ nIter: 100 })).toThrow(code('E_PARAM'));
    expect(() => new TSNE({ perplexity: 0 })).toThrow(code('E_PARAM'));
    await expect(new TSNE({ nComponents: 3 }).fitTransform(new Matrix(new Float64Array(400), 100, 4))).rejects.toThrow(/barnes_hut' embeds in 2 dimensions/);
    await expect(
      new TSNE({ perplexity: 2 }).fitTransform([
        [1, Number.NaN],
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    ).rejects.toThrow(code('E_NONFINITE'));
  });
});
