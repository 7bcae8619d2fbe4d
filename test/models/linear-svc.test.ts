import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LinearSVC } from '../../src/index.js';
import { svmDualCdRef } from '../../src/backend/js/linear.js';
import { resolveBackend } from '../../src/backend/select.js';
import { Rng } from '../../src/index.js';
import { available, hasNative } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });
const cpu = available.filter((b) => b !== 'webgpu');
// Generated once with scikit-learn 1.2 (test/data/linear-svc-iris.json says how).
const ref = JSON.parse(readFileSync(new URL('../fixtures/linear-svc-iris.json', import.meta.url), 'utf8'));

describe.each(cpu)('LinearSVC on %s', (backend) => {
  it.each(['squared_hinge', 'hinge'] as const)("converges to scikit-learn's solution (%s, one-vs-rest, iris)", async (loss) => {
    const want = ref.fits.find((f: any) => f.loss === loss);
    const m = await new LinearSVC({ loss, tol: 1e-8, maxIter: 100000, backend }).fit(ref.X, ref.y);
    m.coef.toArray().forEach((row, k) => row.forEach((v, j) => expect(Math.abs(v - want.coef[k][j])).toBeLessThan(2e-3)));
    Array.from(m.intercept).forEach((v, k) => expect(Math.abs(v - want.intercept[k])).toBeLessThan(2e-3));
    expect(await m.score(ref.X, ref.y)).toBeCloseTo(want.acc, 2);
  });

  it('separates a binary problem with one coefficient row; errors are KilnErrors', async () => {
    const m = await new LinearSVC({ backend }).fit([[-2], [-1], [1], [2]], ['no', 'no', 'yes', 'yes']);
    expect(m.coef.rows).toBe(1);
    expect(await m.predict([[-3], [3]])).toEqual(['no', 'yes']);
    expect(() => new LinearSVC({ C: 0 })).toThrowError(code('E_PARAM'));
    await expect(new LinearSVC({ backend }).fit([[1], [2]], [1, 1])).rejects.toThrowError(code('E_PARAM'));
    await expect(new LinearSVC({ backend }).fit([[NaN]], [1])).rejects.toThrowError(code('E_NONFINITE'));
  });
});

describe.runIf(hasNative)('svm kernel', () => {
  it('native and the js reference take the same path (same shuffle) to the same weights', async () => {
    const native = await resolveBackend('native', 1);
    const rng = new Rng(6);
    const n = 200,
      p = 5,
      models = 2;
    const x = Float64Array.from({ length: n * p }, () => rng.normal());
    const y = Float64Array.from({ length: models * n }, (_, i) => (x[(i % n) * p] + 0.3 * rng.normal() > 0 ? 1 : -1));
    // unweighted, and with LIBLINEAR instance weights (row i's C is C · weight[i])
    const weighted = Float64Array.from({ length: n }, () => 0.25 + 2 * rng.random());
    for (const [squaredHinge, weight] of [
      [true, null],
      [false, null],
      [true, weighted],
      [false, weighted],
    ] as const) {
      const make = () => ({
        x,
        n,
        p,
        y,
        models,
        squaredHinge,
        C: 0.7,
        interceptScaling: 1,
        maxIter: 50,
        tol: 1e-6,
        seed: 12345,
        coef: new Float64Array(models * (p + 1)),
        iterations: new Int32Array(models),
        weight,
      });
      const a = make(),
        b = make();
      await native.linear!.svmDualCd(a);
      svmDualCdRef(b);
      expect(Array.from(a.iterations)).toEqual(Array.from(b.iterations));
      for (let i = 0; i < a.coef.length; i++) expect(a.coef[i]).toBeCloseTo(b.coef[i], 9);
    }
  });
});
