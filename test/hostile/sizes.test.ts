/**
 * Sizes that overflow what can be allocated are KilnErrors (E_ALLOC or E_PARAM) that
 * name the argument, never a RangeError ("Invalid typed array length"), a stack
 * overflow, or an allocation loop that exhausts the heap.
 */
import { describe, expect, it } from 'vitest';
import { CsrMatrix, HashingEncoder, KBinsDiscretizer, KilnError, MLPClassifier, MLPRegressor, Matrix, PolynomialFeatures } from '../../src/index.js';

/** The error `f` throws or rejects with (undefined when it succeeds). */
async function errorOf(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return undefined;
}

function expectKiln(err: unknown, code: string, names: RegExp): void {
  expect(err).toBeInstanceOf(KilnError);
  expect(err).toMatchObject({ code, message: expect.stringMatching(names) });
}

describe('size overflows', () => {
  it('Matrix.zeros(1e9, 1e9): E_ALLOC naming the shape, float32 and float64', async () => {
    expectKiln(await errorOf(() => Matrix.zeros(1e9, 1e9)), 'E_ALLOC', /Matrix\.zeros\(1000000000, 1000000000\).*more than one array can hold/);
    expectKiln(await errorOf(() => Matrix.zeros(2 ** 31, 4, 'float64')), 'E_ALLOC', /Matrix\.zeros\(2147483648, 4\)/);
    expect(Matrix.zeros(3, 2).data).toEqual(new Float32Array(6)); // ordinary sizes unchanged
  });

  it('MLPClassifier({ hiddenLayerSizes: [2 ** 31] }): E_PARAM naming hiddenLayerSizes (the width does not fit 32 bits)', async () => {
    expectKiln(
      await errorOf(() => new MLPClassifier({ hiddenLayerSizes: [2 ** 31] })),
      'E_PARAM',
      /hiddenLayerSizes must be a list of integers in \[1, 2147483647\].*2147483648/,
    );
  });

  it('a network with more weights than one array holds: E_ALLOC naming hiddenLayerSizes at fit', async () => {
    const X = Matrix.from([
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
    const net = new MLPRegressor({ hiddenLayerSizes: [2 ** 31 - 1, 4], maxIter: 1, backend: 'js' });
    expectKiln(await errorOf(() => net.fit(X, [0, 1, 1, 0])), 'E_ALLOC', /hiddenLayerSizes \[2147483647,4\].*narrower hidden layers/);
  });

  it('PolynomialFeatures degree 60 on 30 columns: E_ALLOC naming degree, promptly (no enumeration of 10^23 terms)', async () => {
    const X = new Matrix(new Float64Array(2 * 30).fill(1), 2, 30);
    const started = Date.now();
    expectKiln(await errorOf(() => new PolynomialFeatures({ degree: 60 }).fit(X)), 'E_ALLOC', /degree 60 on 30 columns gives 6\.\d+e\+23 output columns/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('PolynomialFeatures still counts exactly below the limit (interactions only, with and without bias)', async () => {
    const X = new Matrix(new Float64Array(3 * 5).fill(2), 3, 5);
    expect((await new PolynomialFeatures({ degree: 3 }).fit(X)).nOutputFeatures).toBe(56); // C(5 + 3, 3)
    expect((await new PolynomialFeatures({ degree: 9, interactionOnly: true, includeBias: false }).fit(X)).nOutputFeatures).toBe(31);
    const out = await new PolynomialFeatures({ degree: 2 }).fitTransform(X);
    expect(out.cols).toBe(21);
    expect(Array.from(out.data.subarray(0, 21))).toEqual([1, ...Array(5).fill(2), ...Array(15).fill(4)]);
  });

  it('KBinsDiscretizer({ nBins: 1e9 }): E_PARAM naming nBins and its range', async () => {
    expectKiln(await errorOf(() => new KBinsDiscretizer({ nBins: 1e9 })), 'E_PARAM', /nBins must be an integer in \[2, 1048576\], got 1000000000/);
    const X = new Matrix(
      Float64Array.from({ length: 8 }, (_, i) => i),
      8,
      1,
    );
    const binned = await new KBinsDiscretizer({ nBins: 4, strategy: 'uniform' }).fitTransform(X);
    expect(Array.from(binned.data)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });
});

describe('size overflows in sparse output', () => {
  it('densifying a HashingEncoder output of 2^31 − 1 columns: E_ALLOC naming the shape, not a RangeError', async () => {
    const sparse = await new HashingEncoder({ nFeatures: 2 ** 31 - 1 }).fitTransform([['a'], ['b'], ['c']]);
    if (!(sparse instanceof CsrMatrix)) throw new Error('HashingEncoder gives a CsrMatrix');
    expect(sparse.nnz).toBe(3);
    expectKiln(await errorOf(() => sparse.toDense()), 'E_ALLOC', /CsrMatrix\.toDense: 3 rows × 2147483647 columns/);
  });
});
