import { describe, expect, it } from 'vitest';
import { Matrix, Rng, matmul, matmulSync } from '../../src/index.js';
import { JsBackend } from '../../src/backend/js/index.js';
import { available } from '../helpers/backends.js';
import { randomDim, randomMatrix } from '../helpers/random.js';

const oracle = new JsBackend();

/** Reference C (f64 accumulation) and the f32 error bound 2·k·u·(|α|·|A||B| + |β·C|) per element. */
function reference(
  a: Matrix<Float32Array>,
  b: Matrix<Float32Array>,
  o: { transA: boolean; transB: boolean; alpha: number; beta: number; c?: Float32Array },
  m: number,
  n: number,
  k: number,
) {
  const c = o.c ? Float32Array.from(o.c) : new Float32Array(m * n);
  const args = { transA: o.transA, transB: o.transB, m, n, k, alpha: o.alpha, a: a.data, b: b.data, beta: o.beta, c };
  oracle.gemm.sgemmSync(args);
  const absC = new Float32Array(m * n);
  oracle.gemm.sgemmSync({ ...args, alpha: Math.abs(o.alpha), a: a.data.map(Math.abs), b: b.data.map(Math.abs), beta: 0, c: absC });
  const u = 2 ** -24;
  const bound = absC.map((v, i) => 2 * (k + 2) * u * (v + Math.abs(o.beta * (o.c?.[i] ?? 0))) + 1e-30);
  return { c, bound };
}

describe.each(available)('matmul on %s', (backend) => {
  // Keep shapes modest: webgpu runs on lavapipe (a CPU) in CI.
  const maxDim = backend === 'native' ? 513 : 300;

  it('computes a closed-form product exactly', async () => {
    const a = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = Matrix.from([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    const c = await matmul(a, b, { backend });
    expect(c.rows).toBe(2);
    expect(c.cols).toBe(2);
    expect(c.toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    const ct = await matmul(a, a, { backend, transB: true });
    expect(ct.toArray()).toEqual([
      [14, 32],
      [32, 77],
    ]);
    const ctt = await matmul(b, a, { backend, transA: true, transB: true });
    expect(ctt.toArray()).toEqual([
      [58, 139],
      [64, 154],
    ]);
  });

  it('multiplies by the identity exactly, at a size beyond one tile', async () => {
    const rng = new Rng(11);
    const a = randomMatrix(rng, 130, 70);
    const eye = Matrix.zeros(70, 70);
    for (let i = 0; i < 70; i++) eye.data[i * 70 + i] = 1;
    const c = await matmul(a, eye, { backend });
    expect(Array.from(c.data)).toEqual(Array.from(a.data));
  });

  it('agrees with the reference over random shapes, transposes, alpha and beta', async () => {
    const rng = new Rng(backend.length * 1000 + 7);
    for (let trial = 0; trial < 14; trial++) {
      const m = randomDim(rng, maxDim),
        n = randomDim(rng, maxDim),
        k = randomDim(rng, maxDim);
      const transA = rng.random() < 0.5,
        transB = rng.random() < 0.5;
      const withC = rng.random() < 0.5;
      const alpha = withC ? rng.random() * 4 - 2 : 1;
      const beta = withC ? rng.random() * 4 - 2 : 0;
      const a = transA ? randomMatrix(rng, k, m) : randomMatrix(rng, m, k);
      const b = transB ? randomMatrix(rng, n, k) : randomMatrix(rng, k, n);
      const cIn = withC ? randomMatrix(rng, m, n) : undefined;
      const got = await matmul(a, b, { backend, transA, transB, alpha, beta, c: cIn });
      const ref = reference(a, b, { transA, transB, alpha, beta, c: cIn?.data }, m, n, k);
      expect([got.rows, got.cols]).toEqual([m, n]);
      let worst = 0;
      for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(got.data[i] - ref.c[i]) / ref.bound[i]);
      expect(worst, `m=${m} n=${n} k=${k} transA=${transA} transB=${transB}`).toBeLessThanOrEqual(1);
      if (cIn) expect(cIn.data).not.toBe(got.data); // c is read, never written
    }
  });

  it('accepts float64 and nested-array inputs (rounded to f32)', async () => {
    const c = await matmul([[0.1, 0.2]], [[1], [1]], { backend });
    expect(c.data).toBeInstanceOf(Float32Array);
    expect(c.data[0]).toBeCloseTo(0.3, 6);
  });

  it('does not modify c', async () => {
    const cIn = Matrix.from(
      [
        [1, 1],
        [1, 1],
      ],
      'float32',
    );
    const before = Array.from(cIn.data);
    const got = await matmul([[1, 2]], [[3, 4]], { backend, transA: true, c: cIn, beta: 2 });
    expect(got.toArray()).toEqual([
      [5, 6],
      [8, 10],
    ]);
    expect(Array.from(cIn.data)).toEqual(before);
  });

  it('writes into out (an array or a Matrix), also updating c in place', async () => {
    const rng = new Rng(17);
    const a = randomMatrix(rng, 33, 21),
      b = randomMatrix(rng, 21, 40),
      c = randomMatrix(rng, 33, 40);
    const fresh = await matmul(a, b, { backend, c, beta: 0.5 });
    const out = new Float32Array(33 * 40).fill(Number.NaN);
    const got = await matmul(a, b, { backend, c, beta: 0.5, out });
    expect(got.data).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(fresh.data));
    const target = new Matrix(new Float32Array(33 * 40), 33, 40);
    expect(await matmul(a, b, { backend, out: target })).toBe(target);
    expect(Array.from(target.data)).toEqual(Array.from((await matmul(a, b, { backend })).data));
    // c's own array as out: C ← A·B + ½·C, as BLAS updates C
    const inPlace = new Matrix(Float32Array.from(c.data), 33, 40);
    await matmul(a, b, { backend, c: inPlace, beta: 0.5, out: inPlace });
    expect(Array.from(inPlace.data)).toEqual(Array.from(fresh.data));
  });
});

describe('matmul out: bad input', () => {
  const a = Matrix.from([[1, 2]], 'float32'),
    b = Matrix.from([[3], [4]], 'float32');
  const code = (c: string) => expect.objectContaining({ code: c });
  it('refuses a wrong size, a float64 array, and memory shared with an operand', async () => {
    await expect(matmul(a, b, { out: new Float32Array(2) })).rejects.toThrow(code('E_SHAPE'));
    await expect(matmul(a, b, { out: new Matrix(new Float32Array(1), 1, 1) })).resolves.toBeDefined();
    await expect(matmul(a, b, { out: new Float64Array(1) as never })).rejects.toThrow(code('E_PARAM'));
    const shared = new Float32Array(4);
    const x = new Matrix(shared.subarray(0, 2), 1, 2),
      y = new Matrix(shared.subarray(2, 4), 2, 1);
    // out over the last value of y, which the product reads
    expect(() => matmulSync(x, y, { out: shared.subarray(3, 4) })).toThrow(code('E_PARAM'));
    // a disjoint part of the same buffer is fine
    const apart = new Float32Array(8);
    apart.set([1, 2, 3, 4]);
    const got = matmulSync(new Matrix(apart.subarray(0, 2), 1, 2), new Matrix(apart.subarray(2, 4), 2, 1), { out: apart.subarray(4, 5) });
    expect(got.data[0]).toBe(11);
  });
});

describe('matmulSync', () => {
  it.each(available.filter((b) => b !== 'webgpu'))('gives the async result on %s', async (backend) => {
    const rng = new Rng(99);
    const a = randomMatrix(rng, 37, 19),
      b = randomMatrix(rng, 19, 23);
    const sync = matmulSync(a, b, { backend });
    const asyncC = await matmul(a, b, { backend });
    expect(Array.from(sync.data)).toEqual(Array.from(asyncC.data));
  });

  it('refuses the webgpu backend with E_PARAM', () => {
    expect(() => matmulSync([[1]], [[1]], { backend: 'webgpu' })).toThrowError(expect.objectContaining({ code: 'E_PARAM' }));
  });
});
