/** Bad input at the public boundary: each case gets a KilnError with its own code. */
import { describe, expect, it } from 'vitest';
import { KilnError, Matrix, matmul, matmulSync, setBackend } from '../../src/index.js';
import { available } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe.each(available)('matmul input checks (%s)', (backend) => {
  it('mismatched inner dimensions → E_SHAPE naming both shapes', async () => {
    const p = matmul(Matrix.zeros(2, 3), Matrix.zeros(4, 2), { backend });
    await expect(p).rejects.toThrowError(code('E_SHAPE'));
    await expect(matmul(Matrix.zeros(2, 3), Matrix.zeros(4, 2), { backend })).rejects.toThrow(/2 × 3 but op\(b\) is 4 × 2/);
  });

  it('c of the wrong shape → E_SHAPE', async () => {
    await expect(matmul([[1]], [[1, 2]], { backend, c: [[1]], beta: 1 })).rejects.toThrowError(code('E_SHAPE'));
  });

  it('empty matrices → E_EMPTY', async () => {
    await expect(matmul(Matrix.zeros(0, 3), Matrix.zeros(3, 2), { backend })).rejects.toThrowError(code('E_EMPTY'));
    await expect(matmul([], [[1]], { backend })).rejects.toThrowError(code('E_EMPTY'));
  });

  it('NaN or Infinity in an input → E_NONFINITE with its position', async () => {
    await expect(matmul([[1, NaN]], [[1], [2]], { backend })).rejects.toThrowError(code('E_NONFINITE'));
    await expect(matmul([[1, 2]], [[1], [Infinity]], { backend })).rejects.toThrow(/b has a non-finite value \(Infinity\) at row 1, column 0/);
    // opting out lets IEEE arithmetic propagate instead
    const c = await matmul([[1, NaN]], [[1], [2]], { backend, allowNonFinite: true });
    expect(c.data[0]).toBeNaN();
  });

  it('wrong dtype → E_DTYPE', async () => {
    await expect(matmul({ data: new Int32Array(1), rows: 1, cols: 1 } as any, [[1]], { backend })).rejects.toThrowError(code('E_DTYPE'));
    await expect(matmul([['a']] as any, [[1]], { backend })).rejects.toThrowError(code('E_DTYPE'));
  });

  it('bad options → E_PARAM / E_NONFINITE', async () => {
    await expect(matmul([[1]], [[1]], { backend, transA: 'yes' as any })).rejects.toThrowError(code('E_PARAM'));
    await expect(matmul([[1]], [[1]], { backend, alpha: NaN })).rejects.toThrowError(code('E_NONFINITE'));
    await expect(matmul([[1]], [[1]], { backend, tranA: true } as any)).rejects.toThrow(/unknown option 'tranA'/);
  });
});

describe('backend names', () => {
  it('an unknown backend name → E_UNKNOWN_BACKEND', async () => {
    await expect(matmul([[1]], [[1]], { backend: 'cuda' as any })).rejects.toThrowError(code('E_UNKNOWN_BACKEND'));
    expect(() => setBackend('gpu' as any)).toThrowError(code('E_UNKNOWN_BACKEND'));
    expect(() => matmulSync([[1]], [[1]], { backend: 'fast' as any })).toThrowError(code('E_UNKNOWN_BACKEND'));
  });

  it('every error is a KilnError with a message naming the argument', async () => {
    const err = await matmul(Matrix.zeros(2, 3), Matrix.zeros(4, 2)).catch((e) => e);
    expect(err).toBeInstanceOf(KilnError);
    expect(err.message).toMatch(/^matmul: /);
  });
});
