import { describe, expect, it } from 'vitest';
import { Matrix, toMatrix } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('Matrix', () => {
  it('wraps row-major data without copying', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const m = new Matrix(data, 2, 3);
    expect(m.data).toBe(data);
    expect(m.get(1, 0)).toBe(4);
    expect(m.dtype).toBe('float32');
    expect(m.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('from(number[][]) copies into float64 by default, float32 on request', () => {
    const m = Matrix.from([
      [1.1, 2],
      [3, 4],
    ]);
    expect(m.dtype).toBe('float64');
    expect(m.get(0, 0)).toBe(1.1);
    const f = Matrix.from([[1.1, 2]], 'float32');
    expect(f.dtype).toBe('float32');
    expect(f.get(0, 0)).toBe(Math.fround(1.1));
  });

  it('as() converts dtype and returns itself when unchanged', () => {
    const m = Matrix.from([[1.5, 2]]);
    expect(m.as('float64')).toBe(m);
    const f = m.as('float32');
    expect(f.data).toBeInstanceOf(Float32Array);
    expect(f.toArray()).toEqual([[1.5, 2]]);
  });

  it('rejects data whose length is not rows × cols (E_LENGTH)', () => {
    expect(() => new Matrix(new Float32Array(5), 2, 3)).toThrowError(code('E_LENGTH'));
    expect(() => new Matrix(new Float32Array(5), 2, 3)).toThrow(/5 elements.*2 × 3/);
  });

  it('rejects a wrong element type (E_DTYPE)', () => {
    expect(() => new Matrix(new Int32Array(4) as any, 2, 2)).toThrowError(code('E_DTYPE'));
    expect(() => new Matrix([1, 2, 3, 4] as any, 2, 2)).toThrowError(code('E_DTYPE'));
    expect(() => Matrix.from([[1, '2' as any]])).toThrowError(code('E_DTYPE'));
    expect(() => toMatrix('abc' as any, 'x')).toThrow(/x must be a Matrix/);
  });

  it('rejects ragged rows (E_SHAPE) and bad dimensions (E_PARAM)', () => {
    expect(() => Matrix.from([[1, 2], [3]])).toThrowError(code('E_SHAPE'));
    expect(() => new Matrix(new Float32Array(0), -1, 0)).toThrowError(code('E_PARAM'));
    expect(() => new Matrix(new Float32Array(2), 1.5, 2)).toThrowError(code('E_PARAM'));
    expect(() => Matrix.from([[1]]).get(1, 0)).toThrowError(code('E_PARAM'));
  });

  it('toMatrix names the argument in errors from nested arrays', () => {
    expect(() => toMatrix([[1, 2], [3]], 'matmul: a')).toThrow(/^matmul: a: /);
  });
});
