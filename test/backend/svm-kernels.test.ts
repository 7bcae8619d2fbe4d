/**
 * The svm family across backends: the native solver (C++, kernel rows blocked and threaded, exp
 * vectorised) against the js oracle on every Q matrix (class, one-class, regression), both
 * solvers (C and ν), every kernel, shrinking on and off, a cache budget smaller than the problem:
 * the same path (iteration counts equal, the same support) and α, rho within 1e-6 (kernel values
 * agree to f32 rounding); prediction's kernel values (cross) to 1e-12. The refusals of the binding, the stop flag, and webgpu's
 * E_BACKEND_LIMIT.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, Rng } from '../../src/index.js';
import type { SvmKernelKind, SvmQ, SvmSolveArgs } from '../../src/backend/contract/svm.js';
import { jsSvm, jsSvmSolve } from '../../src/backend/js/svm.js';
import { resolveKernels } from '../../src/backend/select.js';
import { hasNative, hasWebgpu } from '../helpers/backends.js';

afterAll(async () => {
  await dispose();
});

function problem(q: SvmQ, kernel: SvmKernelKind, nu: boolean, shrinking: boolean, seed: number, cacheBytes = 1e8): SvmSolveArgs {
  const rng = new Rng(seed);
  const n = 260,
    d = 7;
  const x = Float64Array.from({ length: n * d }, () => rng.normal());
  const rows = Int32Array.from({ length: 200 }, (_, i) => (i * 37) % n);
  const l = rows.length,
    v = q === 'regression' ? 2 * l : l;
  const target = Float64Array.from(rows, (r) => x[r * d] * x[r * d + 1] + 0.5 * x[r * d + 2] + 0.3 * rng.normal());
  const y = new Int8Array(v),
    p = new Float64Array(v),
    alpha = new Float64Array(v),
    C = new Float64Array(v).fill(2);
  if (q === 'regression') {
    for (let i = 0; i < l; i++) {
      y[i] = 1;
      y[i + l] = -1;
      p[i] = (nu ? 0 : 0.1) - target[i];
      p[i + l] = (nu ? 0 : 0.1) + target[i];
      if (nu) alpha[i] = alpha[i + l] = i < 30 ? 2 : 0;
    }
  } else if (q === 'oneClass') {
    y.fill(1);
    C.fill(1);
    for (let i = 0; i < 40; i++) alpha[i] = 1;
  } else {
    for (let i = 0; i < l; i++) y[i] = target[i] > 0 ? 1 : -1;
    if (nu) {
      C.fill(1);
      let pos = 30,
        neg = 30;
      for (let i = 0; i < l; i++) {
        if (y[i] > 0 && pos > 0) {
          alpha[i] = 1;
          pos--;
        } else if (y[i] < 0 && neg > 0) {
          alpha[i] = 1;
          neg--;
        }
      }
    } else p.fill(-1);
  }
  return { x, n, d, rows, q, kernel: { kernel, gamma: 0.2, degree: 3, coef0: 0.5 }, y, p, alpha, C, eps: 1e-3, shrinking, maxIter: -1, nu, cacheBytes };
}

describe.runIf(hasNative)('svm kernels: native agrees with js', () => {
  const cases: [SvmQ, SvmKernelKind, boolean, boolean, number?][] = [
    ['class', 'rbf', false, true],
    ['class', 'rbf', false, false],
    ['class', 'linear', false, true],
    ['class', 'poly', false, true],
    ['class', 'sigmoid', false, true],
    ['class', 'rbf', true, true],
    ['class', 'rbf', false, true, 20_000],
    ['oneClass', 'rbf', false, true],
    ['regression', 'rbf', false, true],
    ['regression', 'linear', false, true, 20_000],
    ['regression', 'rbf', true, true],
  ];
  it.each(cases)('%s %s nu=%s shrinking=%s cache=%s', async (q, kernel, nu, shrinking, cache) => {
    const a = problem(q, kernel, nu, shrinking, 5, cache);
    const { kernels } = await resolveKernels('svm', 'native', 1, 'test');
    const js = await jsSvmSolve(a);
    const nat = await kernels.solve(a);
    expect(nat.nIter).toBe(js.nIter);
    expect(Array.from(nat.alpha, (v) => v !== 0)).toEqual(Array.from(js.alpha, (v) => v !== 0));
    for (let i = 0; i < js.alpha.length; i++) expect(Math.abs(nat.alpha[i] - js.alpha[i])).toBeLessThan(1e-6);
    expect(Math.abs(nat.rho - js.rho)).toBeLessThan(1e-6);
    expect(Math.abs(nat.r - js.r)).toBeLessThan(1e-6);
    expect(Math.abs(nat.obj - js.obj)).toBeLessThan(1e-6 * (1 + Math.abs(js.obj)));
  });

  it.each(['linear', 'poly', 'rbf', 'sigmoid'] as const)('cross (%s): kernel values against the support vectors within 1e-12', async (kernel) => {
    const { kernels } = await resolveKernels('svm', 'native', 1, 'test');
    const rng = new Rng(9);
    const d = 6,
      rows = 70,
      m = 45;
    const q = Float64Array.from({ length: rows * d }, () => rng.normal());
    const v = Float64Array.from({ length: m * d }, () => rng.normal());
    const spec = { kernel, gamma: 0.3, degree: 3, coef0: 0.4 };
    const nat = await kernels.cross(spec, q, rows, v, m, d);
    const js = await jsSvm.cross(spec, q, rows, v, m, d);
    for (let i = 0; i < js.length; i++) expect(Math.abs(nat[i] - js[i])).toBeLessThan(1e-12 * (1 + Math.abs(js[i])));
  });

  it('the binding refuses a row outside x and labels other than ±1; a js check refuses bad lengths', async () => {
    const { kernels } = await resolveKernels('svm', 'native', 1, 'test');
    const a = problem('class', 'rbf', false, true, 1);
    await expect(kernels.solve({ ...a, rows: Int32Array.from(a.rows, (r, i) => (i === 3 ? a.n : r)) })).rejects.toThrowError(/rows\[3\]/);
    await expect(kernels.solve({ ...a, y: a.y.map((v, i) => (i === 0 ? 0 : v)) })).rejects.toThrowError(/labels/);
    await expect(kernels.solve({ ...a, C: a.C.subarray(1) })).rejects.toThrowError(/C has/);
  });

  it('an abort stops a long native solve', async () => {
    const { kernels } = await resolveKernels('svm', 'native', 1, 'test');
    const rng = new Rng(2);
    const n = 3000,
      d = 10;
    const x = Float64Array.from({ length: n * d }, () => rng.normal());
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const y = Int8Array.from({ length: n }, () => (rng.random() < 0.5 ? 1 : -1)); // pure noise: many iterations
    const c = new AbortController();
    const call = kernels.solve(
      {
        x,
        n,
        d,
        rows,
        q: 'class',
        kernel: { kernel: 'rbf', gamma: 2, degree: 3, coef0: 0 },
        y,
        p: new Float64Array(n).fill(-1),
        alpha: new Float64Array(n),
        C: new Float64Array(n).fill(1000),
        eps: 1e-6,
        shrinking: true,
        maxIter: -1,
        nu: false,
        cacheBytes: 1e6,
      },
      c.signal,
    );
    setTimeout(() => c.abort(), 20);
    await expect(call).rejects.toThrowError(/abort/i);
  });
});

describe.runIf(hasWebgpu)('svm on webgpu', () => {
  it("has no WGSL svm kernels: an explicit 'webgpu' is E_BACKEND_LIMIT", async () => {
    await expect(resolveKernels('svm', 'webgpu', 1, 'SVC')).rejects.toThrow(expect.objectContaining({ code: 'E_BACKEND_LIMIT' }));
  });
});
