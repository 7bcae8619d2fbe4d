/** The binding checks every TypedArray against the stated shape before any kernel runs. */
import { describe, expect, it } from 'vitest';
import { nativeAddon } from '../../src/backend/native/index.js';
import { hasNative } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe.runIf(hasNative)('native binding argument checks', () => {
  const addon = hasNative ? nativeAddon() : (undefined as never);
  const f32 = (n: number) => new Float32Array(n);

  it('reports its CPU features and threads', () => {
    const info = addon.info();
    expect(['avx512', 'avx2', 'scalar']).toContain(info.simd);
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it('rejects arrays shorter or longer than the shape says (E_LENGTH)', () => {
    expect(() => addon.sgemmSync(false, false, 4, 4, 4, 1, f32(15), f32(16), 0, f32(16))).toThrowError(code('E_LENGTH'));
    expect(() => addon.sgemmSync(false, false, 4, 4, 4, 1, f32(16), f32(17), 0, f32(16))).toThrowError(code('E_LENGTH'));
    expect(() => addon.sgemmSync(false, false, 4, 4, 4, 1, f32(16), f32(16), 0, f32(3))).toThrowError(code('E_LENGTH'));
    expect(() => addon.columnStatsSync(f32(10), 3, 4, new Float64Array(28))).toThrowError(code('E_LENGTH'));
    expect(() => addon.columnStatsSync(f32(12), 3, 4, new Float64Array(27))).toThrowError(code('E_LENGTH'));
  });

  it('rejects the wrong element type (E_DTYPE)', () => {
    expect(() => addon.sgemmSync(false, false, 1, 1, 1, 1, new Float64Array(1) as any, f32(1), 0, f32(1))).toThrowError(code('E_DTYPE'));
    expect(() => addon.sgemmSync(false, false, 1, 1, 1, 1, [1] as any, f32(1), 0, f32(1))).toThrowError(code('E_DTYPE'));
    expect(() => addon.columnStatsSync(new Int32Array(1) as any, 1, 1, new Float64Array(7))).toThrowError(code('E_DTYPE'));
  });

  it('rejects bad dimensions and scalars (E_PARAM / E_NONFINITE)', () => {
    expect(() => addon.sgemmSync(false, false, -1, 1, 1, 1, f32(1), f32(1), 0, f32(1))).toThrowError(code('E_PARAM'));
    expect(() => addon.sgemmSync(false, false, 1.5, 1, 1, 1, f32(1), f32(1), 0, f32(1))).toThrowError(code('E_PARAM'));
    expect(() => addon.sgemmSync(false, false, 2 ** 40, 1, 1, 1, f32(1), f32(1), 0, f32(1))).toThrowError(code('E_PARAM'));
    expect(() => addon.sgemmSync(false, false, 1, 1, 1, NaN, f32(1), f32(1), 0, f32(1))).toThrowError(code('E_NONFINITE'));
    expect(() => (addon.sgemmSync as any)(false, false, 1, 1)).toThrowError(code('E_PARAM'));
    expect(() => addon.setThreads(0)).toThrowError(code('E_PARAM'));
    // index arrays (class codes, row orders) are range-checked before any kernel reads them
    const x = new Float64Array(4),
      coef = new Float64Array(3),
      grad = new Float64Array(3),
      loss = new Float64Array(1);
    expect(() => addon.logisticLossGradSync(x, 2, 2, Int32Array.of(0, 2), 2, coef, true, null, grad, loss)).toThrowError(/y\[1\] = 2 is outside \[0, 2\)/);
    expect(() => addon.logisticLossGradSync(x, 2, 2, Int32Array.of(-1, 0), 2, coef, true, null, grad, loss)).toThrowError(code('E_PARAM'));
    const hess = new Float64Array(9);
    expect(() => addon.logisticLossGradHessSync(x, 2, 2, Int32Array.of(0, 2), coef, true, null, grad, hess, loss)).toThrowError(
      /y\[1\] = 2 is outside \[0, 2\)/,
    );
    expect(() => addon.logisticLossGradHessSync(x, 2, 2, Int32Array.of(0, 1), coef, true, null, grad, new Float64Array(8), loss)).toThrowError(
      code('E_LENGTH'),
    );
  });

  it('boosting gradients refuse labels that are not class codes, found by the kernel (sync and async)', async () => {
    // histGradients(loss, n, k, y, scores, w, lossParam, gradHess, lossSum): loss 0 logistic, 1 softmax (HIST_LOSSES).
    const n = 100_000; // several kernel chunks; large enough for the async path
    const y = new Float64Array(n).map((_, i) => i % 2),
      scores = new Float64Array(3 * n),
      gh = new Float64Array(6 * n),
      sum = new Float64Array(1);
    for (const bad of [0.5, 2, -1, NaN, Infinity]) {
      y[70_001] = bad;
      y[90_000] = 7;
      expect(() => addon.histGradientsSync(0, n, 1, y, scores.subarray(0, n), null, 1, gh.subarray(0, 2 * n), sum)).toThrowError(
        /y\[70001\] is not a class code in \[0, 2\)/,
      );
      await expect(addon.histGradients(0, n, 1, y, scores.subarray(0, n), null, 1, gh.subarray(0, 2 * n), sum)).rejects.toThrow(code('E_PARAM'));
    }
    y[70_001] = 2; // a code of three classes: the first bad one is now 7
    await expect(addon.histGradients(1, n, 3, y, scores, null, 1, gh, sum)).rejects.toThrow(/y\[90000\] is not a class code in \[0, 3\)/);
    y[90_000] = NaN;
    expect(() => addon.histGradientsSync(1, n, 3, y, scores, null, 1, gh, sum)).toThrowError(code('E_PARAM'));
    y[90_000] = 1;
    await expect(addon.histGradients(1, n, 3, y, scores, null, 1, gh, sum)).resolves.toBeUndefined();
    expect(sum[0]).toBeCloseTo(n * Math.log(3), 6);
  });

  it('refuses forests a walk could leave through, and rows without features', () => {
    const LEAF = -2147483648 | (1 << 29); // kNodeLeaf
    const forest = (threshold: number) => {
      const nodes = Float64Array.of(threshold, 0);
      new Int32Array(nodes.buffer).set([LEAF, 0], 2); // word, left: a leaf stepping to itself
      return {
        nodes,
        catOffset: new Int32Array(1),
        catWords: new Int32Array(1),
        catBits: new Uint32Array(0),
        value: Float64Array.of(2),
        channels: 1,
        roots: Int32Array.of(0),
        treeColumn: Int32Array.of(0),
        treeWeight: Float64Array.of(1),
      };
    };
    const predict = (f: object, p: number, n = 4) => addon.histPredictSync(new Float64Array(n * p), n, p, f as any, 0, 1, new Float64Array(n), 1, null);
    const out = new Float64Array(4);
    addon.histPredictSync(new Float64Array(4), 4, 1, forest(Infinity) as any, 0, 1, out, 1, null);
    expect(Array.from(out)).toEqual([2, 2, 2, 2]);
    expect(() => predict(forest(NaN), 1)).toThrowError(expect.objectContaining({ code: 'E_MODEL_FORMAT', message: 'forest node 0 is a malformed leaf' }));
    expect(() => predict(forest(Infinity), 0)).toThrowError(code('E_EMPTY'));
    expect(() => addon.histForestPrepare(forest(Infinity) as any, 0, 1)).toThrowError(code('E_EMPTY'));
  });

  it('rejects a bad async call synchronously, before queueing work', () => {
    expect(() => addon.sgemm(false, false, 2, 2, 2, 1, f32(4), f32(4), 0, f32(5))).toThrowError(code('E_LENGTH'));
  });

  it('writes exactly the m × n elements of c and nothing beyond a subarray view', () => {
    const backing = new Float32Array(10).fill(-7);
    const c = backing.subarray(2, 6); // 2 × 2 view into a larger buffer
    addon.sgemmSync(false, false, 2, 2, 1, 1, new Float32Array([1, 2]), new Float32Array([3, 4]), 0, c);
    expect(Array.from(backing)).toEqual([-7, -7, 3, 4, 6, 8, -7, -7, -7, -7]);
  });

  it('finds the first NaN/Infinity at any position, in f32 and f64', () => {
    for (const Ctor of [Float32Array, Float64Array]) {
      const x = new Ctor(5000).fill(1.5);
      expect(addon.firstNonFiniteSync(x)).toBe(-1);
      for (const [pos, v] of [
        [0, NaN],
        [1023, Infinity],
        [1024, -Infinity],
        [4999, NaN],
        [3333, NaN],
      ] as const) {
        const y = x.slice();
        y[pos] = v;
        y[4999] = pos === 3333 ? NaN : y[4999]; // a later one must not win
        expect(addon.firstNonFiniteSync(y)).toBe(pos);
      }
      expect(addon.firstNonFiniteSync(new Ctor(0))).toBe(-1);
    }
    // the largest finite values are finite
    expect(addon.firstNonFiniteSync(new Float32Array([3.4028234663852886e38, -3.4028234663852886e38]))).toBe(-1);
    expect(addon.firstNonFiniteSync(new Float64Array([Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324]))).toBe(-1);
    expect(() => addon.firstNonFiniteSync(new Int32Array(3) as any)).toThrowError(code('E_DTYPE'));
  });

  it('uses the requested thread count and gives identical results with 1 or 2 threads', () => {
    const n = 200;
    const a = new Float32Array(n * n).map((_, i) => Math.sin(i));
    const c1 = f32(n * n),
      c2 = f32(n * n);
    const before = addon.info().threads;
    expect(addon.setThreads(1)).toBe(1);
    addon.sgemmSync(false, false, n, n, n, 1, a, a, 0, c1);
    addon.setThreads(2);
    addon.sgemmSync(false, false, n, n, n, 1, a, a, 0, c2);
    addon.setThreads(before);
    expect(Array.from(c1)).toEqual(Array.from(c2));
  });
});
