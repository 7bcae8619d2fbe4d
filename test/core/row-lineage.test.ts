import { describe, expect, it } from 'vitest';
import { fromLineage, lineageOf, markLineage } from '../../src/core/row-lineage.js';

describe('row lineage', () => {
  it('computes a derived value once per (source, rows, key), and every time without a lineage', () => {
    const source = {};
    let made = 0;
    const make = () => ++made;
    const a = {},
      b = {},
      c = {},
      bare = {};
    markLineage(a, source, Int32Array.of(0, 2, 4));
    markLineage(b, source, Int32Array.of(0, 2, 4)); // the same rows in another array: shared
    markLineage(c, source, Int32Array.of(0, 2, 5));
    expect(lineageOf(a)?.source).toBe(source);
    expect(fromLineage(a, 'k', 8, make)).toBe(1);
    expect(fromLineage(b, 'k', 8, make)).toBe(1);
    expect(fromLineage(a, 'other', 8, make)).toBe(2);
    expect(fromLineage(c, 'k', 8, make)).toBe(3);
    expect(fromLineage(bare, 'k', 8, make)).toBe(4);
    expect(fromLineage(bare, 'k', 8, make)).toBe(5);
    const elsewhere = {};
    markLineage(elsewhere, {}, Int32Array.of(0, 2, 4)); // the same rows of another source
    expect(fromLineage(elsewhere, 'k', 8, make)).toBe(6);
  });

  it('forgets a rejected promise, so the next call tries again', async () => {
    const x = {};
    markLineage(x, {}, Int32Array.of(1));
    await expect(fromLineage(x, 'k', 1, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await new Promise((r) => setTimeout(r, 0));
    await expect(fromLineage(x, 'k', 1, () => Promise.resolve(7))).resolves.toBe(7);
  });

  it('keeps nothing past the budget', () => {
    const source = {};
    let made = 0;
    const x = {};
    markLineage(x, source, Int32Array.of(3));
    fromLineage(x, 'big', 2 ** 40, () => ++made);
    fromLineage(x, 'big', 2 ** 40, () => ++made);
    expect(made).toBe(2);
  });
});
