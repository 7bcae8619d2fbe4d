import { describe, expect, it } from 'vitest';
import { Matrix, Rng, add, argmax, clamp, div, mul, relu, rowNorms, scale, sigmoid, softmax, sub, tanh } from '../../src/index.js';
import { available } from '../helpers/backends.js';
import { randomDim, randomMatrix } from '../helpers/random.js';
import { onThreadCounts } from '../helpers/threads.js';

const code = (c: string) => expect.objectContaining({ code: c });
const f32 = Math.fround;

/** Max |got − want| / (|want| + floor) over all elements. */
function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>, floor = 1e-30): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (Math.abs(want[i]) + floor));
  return worst;
}

describe.each(available)('elementwise kernels on %s', (backend) => {
  it('adds, subtracts, multiplies and divides with every broadcast form (exact in f32)', async () => {
    const a = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect((await add(a, [[10, 20, 30]], { backend })).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect((await sub(a, [[1], [2]], { backend })).toArray()).toEqual([
      [0, 1, 2],
      [2, 3, 4],
    ]);
    expect((await mul(a, 2, { backend })).toArray()).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
    expect((await div(12, a, { backend })).toArray()).toEqual([
      [12, 6, 4],
      [3, f32(12 / 5), 2],
    ]);
    expect((await add([[1], [2]], [[10, 20]], { backend })).toArray()).toEqual([
      [11, 21],
      [12, 22],
    ]); // outer sum
    expect((await mul(a, a, { backend })).toArray()).toEqual([
      [1, 4, 9],
      [16, 25, 36],
    ]);
  });

  it('matches per-element f32 arithmetic over random shapes, including > 65535 rows', async () => {
    const rng = new Rng(17 + backend.length);
    for (let t = 0; t < 6; t++) {
      const rows = t === 0 ? 70_001 : randomDim(rng, 400),
        cols = t === 0 ? 2 : randomDim(rng, 300);
      const a = randomMatrix(rng, rows, cols);
      const row = randomMatrix(rng, 1, cols),
        col = randomMatrix(rng, rows, 1);
      const got = await add(await mul(a, row, { backend }), col, { backend });
      for (let i = 0; i < rows * cols; i += Math.max(1, Math.floor((rows * cols) / 5000))) {
        const r = Math.floor(i / cols),
          c = i % cols;
        expect(got.data[i]).toBe(f32(f32(a.data[i] * row.data[c]) + col.data[r]));
      }
    }
  });

  // CPU backends: libm/libmvec accuracy (≤ 4 ulp). WGSL allows exp an error of 3 + 2·|x| ulp,
  // so on webgpu the bound follows the spec for |x| < 20.
  const activationTol = backend === 'webgpu' ? 43 * 2 ** -23 : 4 * 2 ** -23;

  it('scale, clamp and relu are exact; sigmoid and tanh within the stated ulps', async () => {
    const rng = new Rng(3);
    const x = randomMatrix(rng, 123, 77);
    for (let i = 0; i < x.data.length; i++) x.data[i] *= 20; // [-20, 20): saturating tails too
    const s = await scale(x, 0.5, { backend });
    expect(Array.from(s.data)).toEqual(Array.from(x.data, (v) => f32(v * 0.5)));
    const c = await clamp(x, -3, 4, { backend });
    expect(Array.from(c.data)).toEqual(Array.from(x.data, (v) => Math.min(4, Math.max(-3, v))));
    const r = await relu(x, { backend });
    expect(Array.from(r.data)).toEqual(Array.from(x.data, (v) => Math.max(0, v)));
    const sg = await sigmoid(x, { backend });
    expect(
      maxRelErr(
        sg.data,
        Array.from(x.data, (v) => 1 / (1 + Math.exp(-v))),
        1e-30,
      ),
    ).toBeLessThan(activationTol);
    const th = await tanh(x, { backend });
    expect(maxRelErr(th.data, Array.from(x.data, Math.tanh), 1e-30)).toBeLessThan(activationTol);
    expect(Array.from((await tanh([[0, 100, -100]], { backend })).data)).toEqual([0, 1, -1]);
    expect(Array.from((await sigmoid([[0, 200, -200]], { backend })).data)).toEqual([0.5, 1, 0]);
  });

  it('softmax rows sum to 1, match the closed form, and survive huge logits', async () => {
    const p = await softmax(
      [
        [0, Math.log(3)],
        [1000, 1000],
      ],
      { backend },
    );
    expect(p.data[0]).toBeCloseTo(0.25, 6);
    expect(p.data[1]).toBeCloseTo(0.75, 6);
    expect(Array.from(p.data.subarray(2))).toEqual([0.5, 0.5]);
    const rng = new Rng(9);
    const x = randomMatrix(rng, 300, 37);
    const s = await softmax(x, { backend });
    for (let r = 0; r < 300; r++) {
      let sum = 0;
      for (let c = 0; c < 37; c++) sum += s.data[r * 37 + c];
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
    }
    expect((await softmax([[5]], { backend })).data[0]).toBe(1);
  });

  it('argmax takes the first maximum, and NaN never wins unless the row is all NaN', async () => {
    expect(
      Array.from(
        await argmax(
          [
            [1, 3, 3],
            [-1, -5, -2],
            [7, 7, 7],
          ],
          { backend },
        ),
      ),
    ).toEqual([1, 0, 0]);
    const nan = await argmax(
      [
        [NaN, 1, 2],
        [3, NaN, 1],
        [NaN, NaN, NaN],
      ],
      { backend, allowNonFinite: true },
    );
    expect(Array.from(nan)).toEqual([2, 0, 0]);
    const rng = new Rng(4);
    const x = randomMatrix(rng, 1000, 13);
    const got = await argmax(x, { backend });
    for (let r = 0; r < 1000; r++) {
      const row = Array.from(x.data.subarray(r * 13, r * 13 + 13));
      expect(got[r]).toBe(row.indexOf(Math.max(...row)));
    }
  });

  it('row norms match the closed form', async () => {
    const n = await rowNorms(
      [
        [3, 4],
        [1, 1],
        [0, 0],
      ],
      { backend },
    );
    expect(n[0]).toBeCloseTo(5, 6);
    expect(n[1]).toBeCloseTo(Math.SQRT2, 6);
    expect(n[2]).toBe(0);
    const sq = await rowNorms([[3, 4]], { backend, squared: true });
    expect(sq[0]).toBe(25);
    const rng = new Rng(8);
    const x = randomMatrix(rng, 500, 300);
    const got = await rowNorms(x, { backend });
    const want = Array.from({ length: 500 }, (_, r) => Math.hypot(...x.data.subarray(r * 300, r * 300 + 300)));
    expect(maxRelErr(got, want)).toBeLessThan(backend === 'webgpu' ? 1e-6 : 1e-12);
  });

  it('writes into out (an array or a Matrix) and in place over an input, equal to a fresh result', async () => {
    const rng = new Rng(23);
    // one size below and one above the native backend's inline limit (2^18 elements: sync vs pool)
    for (const [rows, cols] of [
      [37, 29],
      [600, 500],
    ]) {
      const a = randomMatrix(rng, rows, cols),
        b = randomMatrix(rng, rows, cols),
        row = randomMatrix(rng, 1, cols);
      const cases: [string, (out?: Float32Array | Matrix<Float32Array>) => Promise<Matrix<Float32Array>>][] = [
        ['mul', (out) => mul(a, b, { backend, out })],
        ['add (broadcast row)', (out) => add(a, row, { backend, out })],
        ['clamp', (out) => clamp(a, -0.25, 0.5, { backend, out })],
        ['tanh', (out) => tanh(a, { backend, out })],
        ['softmax', (out) => softmax(a, { backend, out })],
      ];
      for (const [name, run] of cases) {
        const fresh = await run();
        const out = new Float32Array(rows * cols).fill(Number.NaN);
        const got = await run(out);
        expect(got.data, name).toBe(out);
        expect(maxRelErr(out, fresh.data), name).toBe(0);
        const target = new Matrix(new Float32Array(rows * cols), rows, cols);
        expect(await run(target), name).toBe(target);
      }
      // in place: x's own array as out
      const x = new Matrix(Float32Array.from(a.data), rows, cols);
      const want = await sigmoid(a, { backend });
      expect((await sigmoid(x, { backend, out: x })).data).toBe(x.data);
      expect(maxRelErr(x.data, want.data)).toBe(0);
      const y = new Matrix(Float32Array.from(a.data), rows, cols);
      await sub(y, b, { backend, out: y.data });
      expect(maxRelErr(y.data, (await sub(a, b, { backend })).data)).toBe(0);
    }
  });
});

// The native activations run glibc's vector functions in a loop's body and the scalar ones in its
// remainder (they can differ in the last bit): the pool's split must not move with the thread count.
describe.runIf(available.includes('native'))('native activations on any thread count', () => {
  it('give the same bits on one thread and two, over sizes whose split points fall mid-vector', async () => {
    const rng = new Rng(12);
    for (const n of [300_007, 65_541, 1_000_003]) {
      const x = new Matrix(
        Float32Array.from({ length: n }, () => rng.normal() * 4),
        n,
        1,
      );
      const results = await onThreadCounts(async () => [(await sigmoid(x, { backend: 'native' })).data, (await tanh(x, { backend: 'native' })).data]);
      results[1].forEach((got, k) => expect(Array.from(got), `${['sigmoid', 'tanh'][k]} of ${n}`).toEqual(Array.from(results[0][k])));
    }
  });
});

describe('elementwise input checks', () => {
  it('shapes that do not broadcast → E_SHAPE', async () => {
    await expect(add([[1, 2, 3]], [[1, 2]])).rejects.toThrowError(code('E_SHAPE'));
    await expect(mul([[1], [2], [3]], [[1], [2]])).rejects.toThrow(/3 × 1 and b is 2 × 1/);
  });

  it('NaN input → E_NONFINITE (arithmetic may opt out; activations may not)', async () => {
    await expect(add([[NaN]], 1)).rejects.toThrowError(code('E_NONFINITE'));
    await expect(add([[1]], Infinity)).rejects.toThrowError(code('E_NONFINITE'));
    expect((await add([[NaN]], 1, { allowNonFinite: true })).data[0]).toBeNaN();
    await expect(sigmoid([[NaN]])).rejects.toThrowError(code('E_NONFINITE'));
    await expect(softmax([[1, Infinity]])).rejects.toThrowError(code('E_NONFINITE'));
    await expect(sigmoid([[1]], { allowNonFinite: true } as any)).rejects.toThrowError(code('E_PARAM'));
  });

  it('bad parameters and empty input', async () => {
    await expect(clamp([[1]], 2, 1)).rejects.toThrowError(code('E_PARAM'));
    await expect(scale([[1]], NaN)).rejects.toThrowError(code('E_NONFINITE'));
    await expect(relu([])).rejects.toThrowError(code('E_EMPTY'));
    await expect(rowNorms(Matrix.zeros(3, 0))).rejects.toThrowError(code('E_EMPTY'));
    await expect(rowNorms([[1]], { squared: 1 as any })).rejects.toThrowError(code('E_PARAM'));
  });
});

describe('elementwise out: bad input', () => {
  const a = Matrix.from(
    [
      [1, 2],
      [3, 4],
    ],
    'float32',
  );
  it('refuses a wrong size or shape, a float64 array, and part of an operand', async () => {
    await expect(add(a, 1, { out: new Float32Array(3) })).rejects.toThrow(code('E_SHAPE'));
    await expect(relu(a, { out: new Matrix(new Float32Array(4), 1, 4) })).rejects.toThrow(/out is 1 × 4 but the result is 2 × 2/);
    await expect(scale(a, 2, { out: new Float64Array(4) as never })).rejects.toThrow(code('E_PARAM'));
    const shared = new Float32Array(6);
    const x = new Matrix(shared.subarray(0, 4), 2, 2);
    // out starting two values into x: x[2], x[3] would be read after being overwritten
    await expect(scale(x, 2, { out: shared.subarray(2, 6) })).rejects.toThrow(/out overlaps part of x/);
    // a row vector b broadcast over out, lying inside out: refused as well
    const buf = new Float32Array(4);
    await expect(add(a, new Matrix(buf.subarray(0, 2), 1, 2), { out: buf })).rejects.toThrow(/out overlaps part of b/);
    await expect(argmax(a, { out: new Float32Array(2) } as never)).rejects.toThrow(code('E_PARAM'));
  });
});
