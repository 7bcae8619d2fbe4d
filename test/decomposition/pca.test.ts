/**
 * PCA's behaviour beyond the fixtures: closed-form properties (orthonormal components,
 * variances summing to the total, exact reconstruction with every component, whitened scores
 * of unit variance), scikit-learn's 'auto' rule, the f32 SGEMM path against the f64 one on
 * every backend (webgpu's GEMM included), Pipeline use, save/load, and bad input.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsrMatrix, dispose, load, LogisticRegression, Matrix, PCA, Pipeline, save, StandardScaler } from '../../src/index.js';
import { pcaAutoSolver } from '../../src/decomposition/pca.js';
import { available } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });

afterAll(async () => {
  await dispose();
});

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** n × p data of a known covariance structure: latent factors with decreasing scales plus noise, and an offset. */
function data(n: number, p: number, seed = 1, F: typeof Float64Array | typeof Float32Array = Float64Array): Matrix {
  const r = lcg(seed);
  const mix = Array.from({ length: 4 }, () => Array.from({ length: p }, r));
  const out = new F(n * p);
  for (let i = 0; i < n; i++) {
    const f = [8 * r(), 4 * r(), 2 * r(), 1 * r()];
    for (let c = 0; c < p; c++) out[i * p + c] = 10 + c + f.reduce((a, v, j) => a + v * mix[j][c], 0) + 0.05 * r();
  }
  return new Matrix(out, n, p);
}

describe('PCA properties', () => {
  it('components are orthonormal, variances descend and sum (with the discarded ones) to the total', async () => {
    const X = data(300, 7);
    const pca = await new PCA().fit(X);
    const p = 7,
      V = pca.components.data;
    expect(pca.nComponentsFitted).toBe(7);
    for (let i = 0; i < p; i++)
      for (let j = 0; j < p; j++) {
        let d = 0;
        for (let c = 0; c < p; c++) d += V[i * p + c] * V[j * p + c];
        expect(d).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    const ev = pca.explainedVariance;
    for (let i = 1; i < ev.length; i++) expect(ev[i]).toBeLessThanOrEqual(ev[i - 1]);
    expect(pca.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(pca.noiseVariance).toBe(0);
    // all components: the inverse transform gives the data back
    const back = await pca.inverseTransform(await pca.transform(X));
    back.data.forEach((v, i) => expect(v).toBeCloseTo(X.data[i], 9));
  });

  it('noiseVariance is the mean variance of the discarded directions', async () => {
    const X = data(200, 6, 3);
    const all = await new PCA().fit(X);
    const two = await new PCA({ nComponents: 2 }).fit(X);
    const ev = all.explainedVariance;
    expect(two.noiseVariance).toBeCloseTo((ev[2] + ev[3] + ev[4] + ev[5]) / 4, 10);
  });

  it('whitened scores have unit variance and invert back', async () => {
    const X = data(400, 5, 4);
    const pca = new PCA({ nComponents: 3, whiten: true });
    const Z = await pca.fitTransform(X);
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let i = 0; i < 400; i++) s += Z.data[i * 3 + j] ** 2;
      expect(s / 399).toBeCloseTo(1, 10);
    }
    const direct = await new PCA({ nComponents: 3 }).fit(X);
    const back = await pca.inverseTransform(Z),
      back2 = await direct.inverseTransform(await direct.transform(X));
    back.data.forEach((v, i) => expect(v).toBeCloseTo(back2.data[i], 9));
  });

  it('a variance fraction keeps the fewest components that exceed it', async () => {
    const X = data(300, 8, 5);
    const ratio = (await new PCA().fit(X)).explainedVarianceRatio;
    const pca = await new PCA({ nComponents: 0.9 }).fit(X);
    const k = pca.nComponentsFitted;
    const cum = (m: number) => ratio.subarray(0, m).reduce((a, b) => a + b, 0);
    expect(cum(k)).toBeGreaterThan(0.9);
    if (k > 1) expect(cum(k - 1)).toBeLessThanOrEqual(0.9);
  });

  it("picks scikit-learn 1.2's solver for 'auto'", async () => {
    expect(pcaAutoSolver(2, 500, 20)).toBe('full');
    expect(pcaAutoSolver(2, 501, 20)).toBe('randomized');
    expect(pcaAutoSolver(15, 600, 20)).toBe('randomized');
    expect(pcaAutoSolver(16, 600, 20)).toBe('full'); // not below 0.8·min(n, p)
    expect(pcaAutoSolver(0.95, 10000, 20)).toBe('full');
    expect(pcaAutoSolver(null, 10000, 20)).toBe('full');
    const pca = await new PCA({ nComponents: 3 }).fit(data(600, 40, 6));
    expect(pca.svdSolverUsed).toBe('randomized');
  });

  it('a constant column is fine: it gets no weight in the leading components', async () => {
    const X = data(100, 4, 7);
    for (let i = 0; i < 100; i++) X.data[i * 4 + 2] = 5;
    const pca = await new PCA({ nComponents: 2 }).fit(X);
    expect(Math.abs(pca.components.data[2])).toBeLessThan(1e-9);
    expect(Math.abs(pca.components.data[4 + 2])).toBeLessThan(1e-9);
  });
});

describe.each(available)('PCA of f32 data on %s', (backend) => {
  it('agrees with the f64 answer (the SGEMM path, blocks summed in f64)', async () => {
    const X64 = data(5000, 12, 8);
    const X32 = new Matrix(Float32Array.from(X64.data), 5000, 12);
    for (const svdSolver of ['full', 'randomized'] as const) {
      const ref = await new PCA({ nComponents: 3, svdSolver, backend: 'js' }).fit(new Matrix(Float64Array.from(X32.data), 5000, 12));
      const pca = new PCA({ nComponents: 3, svdSolver, backend });
      const Z = await pca.fitTransform(X32);
      pca.explainedVariance.forEach((v, i) => expect(Math.abs(v - ref.explainedVariance[i]) / ref.explainedVariance[i]).toBeLessThan(1e-4));
      pca.components.data.forEach((v, i) => expect(Math.abs(v - ref.components.data[i])).toBeLessThan(1e-3));
      const Zref = await ref.transform(X64);
      Z.data.forEach((v, i) => expect(Math.abs(v - Zref.data[i])).toBeLessThan(1e-3 * 10));
    }
  });
});

describe.each(available)('PCA randomized by passes over the data on %s', (backend) => {
  // p = 120 > 2·q·(iterations + 1) = 88: the solver applies XᵀX by passes (dgemm on the CPU
  // backends, centring as rank-one corrections) instead of forming the Gram matrix; four latent
  // factors and a clear gap, so ten iterations reach the exact answer to rounding (webgpu's f32
  // GEMM: to f32 rounding).
  it('matches the full solver, f64 and f32 rows (variances 1e-8 relative, components 1e-5; webgpu 1e-5, 1e-3)', async () => {
    const [tv, tc] = backend === 'webgpu' ? [1e-5, 1e-3] : [1e-8, 1e-5];
    const X64 = data(500, 120, 12);
    for (const X of [X64, new Matrix(Float32Array.from(X64.data), 500, 120)]) {
      const full = await new PCA({ nComponents: 2, svdSolver: 'full', backend: 'js' }).fit(X);
      const rnd = await new PCA({ nComponents: 2, svdSolver: 'randomized', nOversamples: 2, iteratedPower: 10, backend }).fit(X);
      rnd.explainedVariance.forEach((v, i) => expect(Math.abs(v - full.explainedVariance[i]) / full.explainedVariance[i]).toBeLessThan(tv));
      rnd.components.data.forEach((v, i) => expect(Math.abs(v - full.components.data[i])).toBeLessThan(tc));
    }
  });
});

describe('PCA in a Pipeline, saved and loaded', () => {
  it('feeds a classifier, names its outputs, and round-trips a model file', async () => {
    const X = data(200, 6, 9);
    const y = Array.from({ length: 200 }, (_, i) => (X.data[i * 6] + X.data[i * 6 + 1] > 21 ? 1 : 0));
    const pipe = await new Pipeline([
      ['scale', new StandardScaler()],
      ['pca', new PCA({ nComponents: 3 })],
      ['clf', new LogisticRegression()],
    ]).fit(X, y);
    const pca = new PCA({ nComponents: 3 });
    await pca.fit(X);
    expect(pca.featureNamesOut()).toEqual(['pca0', 'pca1', 'pca2']);
    const file = join(mkdtempSync(join(tmpdir(), 'kiln-pca-')), 'm.kiln');
    await save(pipe, file);
    const again = await load<Pipeline>(file);
    expect(await again.predict(X)).toEqual(await pipe.predict(X));
    await save(pca, file);
    const p2 = await load<PCA>(file);
    expect((await p2.transform(X)).data).toEqual((await pca.transform(X)).data);
  });
});

describe('PCA refuses bad input with coded errors', () => {
  it('nComponents above min(n, p), or out of range', async () => {
    await expect(new PCA({ nComponents: 5 }).fit(data(10, 4))).rejects.toThrow(code('E_PARAM'));
    await expect(new PCA({ nComponents: 5 }).fit(data(10, 4))).rejects.toThrow(/at most min\(nSamples, nFeatures\)/);
    expect(() => new PCA({ nComponents: 1.5 })).toThrow(code('E_PARAM'));
    expect(() => new PCA({ nComponents: 0 })).toThrow(code('E_PARAM'));
    expect(() => new PCA({ nComponents: -0.5 })).toThrow(code('E_PARAM'));
    await expect(new PCA({ nComponents: 0.5, svdSolver: 'randomized' }).fit(data(10, 4))).rejects.toThrow(code('E_PARAM'));
  });

  it('NaN, one row, all-constant data, sparse input, wrong width', async () => {
    await expect(
      new PCA().fit([
        [1, Number.NaN],
        [2, 3],
      ]),
    ).rejects.toThrow(code('E_NONFINITE'));
    await expect(new PCA().fit([[1, 2, 3]])).rejects.toThrow(code('E_SHAPE'));
    await expect(
      new PCA().fit([
        [1, 2],
        [1, 2],
        [1, 2],
      ]),
    ).rejects.toThrow(/every column of X is constant/);
    const csr = new CsrMatrix(Int32Array.from([0, 1, 2]), Int32Array.from([0, 1]), Float64Array.from([1, 2]), 2, 2);
    await expect(new PCA().fit(csr as never)).rejects.toThrow(code('E_DTYPE'));
    await expect(new PCA().fit([])).rejects.toThrow(code('E_EMPTY'));
    const pca = await new PCA({ nComponents: 2 }).fit(data(20, 4));
    await expect(pca.transform(data(3, 5))).rejects.toThrow(code('E_SHAPE'));
    await expect(pca.inverseTransform([[1, 2, 3]])).rejects.toThrow(code('E_SHAPE'));
    await expect(new PCA().transform(data(3, 4))).rejects.toThrow(code('E_NOT_FITTED'));
  });
});
