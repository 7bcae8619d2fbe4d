import { describe, expect, it } from 'vitest';
import { encodeLabels } from '../../src/core/labels.js';

describe('encodeLabels', () => {
  it('codes index the sorted classes, with few classes and with many (the hashed path)', () => {
    expect(encodeLabels([3, 1, 3, 2], 'y')).toEqual({ classes: [1, 2, 3], codes: Int32Array.of(2, 0, 2, 1) });
    expect(encodeLabels(['b', 'a', 'c', 'a'], 'y')).toEqual({ classes: ['a', 'b', 'c'], codes: Int32Array.of(1, 0, 2, 0) });
    const many = Array.from({ length: 40 }, (_, i) => (i * 7) % 13);
    const e = encodeLabels(many, 'y');
    expect(e.classes).toEqual(Array.from({ length: 13 }, (_, i) => i));
    expect(Array.from(e.codes)).toEqual(many);
  });

  it('many classes code as a sort of the distinct labels does: negatives, gaps, a wide span, fractions', () => {
    const reference = (y: number[]) => {
      const classes = [...new Set(y)].sort((a, b) => a - b);
      return { classes, codes: Int32Array.from(y, (v) => classes.indexOf(v)) };
    };
    const gaps = Array.from({ length: 500 }, (_, i) => ((i * 37) % 23) * 3 - 30); // 23 classes from -30 to 36
    expect(encodeLabels(gaps, 'y')).toEqual(reference(gaps));
    const wide = Array.from({ length: 60 }, (_, i) => (i % 12) * 1e6);
    expect(encodeLabels(wide, 'y')).toEqual(reference(wide));
    const sparse = [0, 5000, ...Array.from({ length: 10 }, (_, i) => i)];
    expect(encodeLabels(sparse, 'y')).toEqual(reference(sparse));
    const halves = Array.from({ length: 30 }, (_, i) => (i % 10) / 2);
    expect(encodeLabels(halves, 'y')).toEqual(reference(halves));
    // integers in [0, 2^16) are coded through a table indexed by the label; 2^16 and past take the Map
    for (const top of [65535, 65536]) {
      const edge = [top, ...Array.from({ length: 40 }, (_, i) => ((i * 11) % 10) * 7), top - 1];
      expect(encodeLabels(edge, 'y')).toEqual(reference(edge));
    }
    const typed = Float64Array.from({ length: 1000 }, (_, i) => (i * 31) % 17);
    expect(encodeLabels(typed, 'y')).toEqual(reference(Array.from(typed)));
  });

  it('bad labels among many integer classes are refused with their index', () => {
    const y = Array.from({ length: 20 }, (_, i) => i);
    expect(() => encodeLabels([...y, Number.NaN], 'y')).toThrow(/y\[20\] is NaN/);
    expect(() => encodeLabels([...y, Infinity], 'y')).toThrow(/y\[20\] is Infinity/);
    expect(() => encodeLabels([...y, 'a'] as (number | string)[], 'y')).toThrow(/y\[20\] is "a"; labels must be all numbers or all strings/);
  });

  it('-0 and +0 are one class, +0, on both paths', () => {
    const few = encodeLabels([-0, 0, 2, 1, 0], 'y');
    expect(Object.is(few.classes[0], 0)).toBe(true);
    expect(Array.from(few.codes)).toEqual([0, 0, 2, 1, 0]);
    const many = encodeLabels([-0, ...Array.from({ length: 12 }, (_, i) => i)], 'y');
    expect(Object.is(many.classes[0], 0)).toBe(true);
    expect(many.codes[0]).toBe(0);
  });
});
