/**
 * CsrMatrix checks its structure on construction: every reader (toDense, hstack, the
 * models that take sparse input) indexes with indptr and indices unchecked, so a bad
 * one read out of bounds or wrote into the wrong row before.
 */
import { describe, expect, it } from 'vitest';
import { CsrMatrix, KilnError } from '../../src/index.js';

const i32 = (...v: number[]) => Int32Array.from(v);
const f64 = (...v: number[]) => Float64Array.from(v);

function csrError(f: () => unknown): KilnError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(KilnError);
    return e as KilnError;
  }
  throw new Error('expected the constructor to throw');
}

describe('CsrMatrix construction checks', () => {
  it('accepts a well-formed matrix (empty rows included) and densifies it exactly', () => {
    const m = new CsrMatrix(i32(0, 2, 2, 3), i32(0, 2, 1), f64(1, 2, 3), 3, 3);
    expect(m.toArray()).toEqual([
      [1, 0, 2],
      [0, 0, 0],
      [0, 3, 0],
    ]);
    expect(new CsrMatrix(i32(0), i32(), f64(), 0, 5).toArray()).toEqual([]);
  });

  it('indptr must start at 0', () => {
    const e = csrError(() => new CsrMatrix(i32(1, 2, 3), i32(0, 1, 1), f64(1, 2, 3), 2, 2));
    expect(e).toMatchObject({ code: 'E_PARAM', message: expect.stringMatching(/indptr\[0\] must be 0, got 1/) });
  });

  it('indptr must not decrease (a decreasing pair read rows before their start)', () => {
    const e = csrError(() => new CsrMatrix(i32(0, 3, 1, 3), i32(0, 1, 0), f64(1, 2, 3), 3, 2));
    expect(e).toMatchObject({ code: 'E_PARAM', message: expect.stringMatching(/indptr\[2\] = 1 < indptr\[1\] = 3/) });
  });

  it('indptr must end at nnz and have rows + 1 entries', () => {
    expect(csrError(() => new CsrMatrix(i32(0, 1, 2), i32(0, 1, 0), f64(1, 2, 3), 2, 2))).toMatchObject({
      code: 'E_PARAM',
      message: expect.stringMatching(/indptr\[2\].*must equal nnz = 3, got 2/),
    });
    expect(csrError(() => new CsrMatrix(i32(0, 3), i32(0, 1, 0), f64(1, 2, 3), 2, 2))).toMatchObject({
      code: 'E_SHAPE',
      message: expect.stringMatching(/rows \+ 1 = 3 entries, got 2/),
    });
  });

  it('indices must lie in [0, cols): negative and too-large ones are refused, naming the position', () => {
    expect(csrError(() => new CsrMatrix(i32(0, 2), i32(0, 5), f64(1, 2), 1, 3))).toMatchObject({
      code: 'E_PARAM',
      message: expect.stringMatching(/indices\[1\] = 5 is outside \[0, 3\)/),
    });
    expect(csrError(() => new CsrMatrix(i32(0, 1), i32(-1), f64(1), 1, 3))).toMatchObject({
      code: 'E_PARAM',
      message: expect.stringMatching(/indices\[0\] = -1/),
    });
  });

  it('indices and indptr must be Int32Arrays (integers), data a Float64Array; indices and data equally long', () => {
    expect(csrError(() => new CsrMatrix(i32(0, 1), Float64Array.of(0.5) as unknown as Int32Array, f64(1), 1, 3))).toMatchObject({
      code: 'E_DTYPE',
      message: expect.stringMatching(/indices must be an Int32Array, got Float64Array/),
    });
    expect(csrError(() => new CsrMatrix([0, 1] as unknown as Int32Array, i32(0), f64(1), 1, 3))).toMatchObject({
      code: 'E_DTYPE',
      message: expect.stringMatching(/indptr must be an Int32Array, got Array/),
    });
    expect(csrError(() => new CsrMatrix(i32(0, 2), i32(0, 1), f64(1), 1, 3))).toMatchObject({
      code: 'E_SHAPE',
      message: expect.stringMatching(/indices has 2 entries but data has 1/),
    });
  });

  it('rows and cols must be non-negative integers', () => {
    expect(csrError(() => new CsrMatrix(i32(0, 0), i32(), f64(), 1, 1.5))).toMatchObject({
      code: 'E_PARAM',
      message: expect.stringMatching(/cols must be a non-negative integer, got 1.5/),
    });
  });
});
