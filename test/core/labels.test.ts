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

  it('-0 and +0 are one class, +0, on both paths', () => {
    const few = encodeLabels([-0, 0, 2, 1, 0], 'y');
    expect(Object.is(few.classes[0], 0)).toBe(true);
    expect(Array.from(few.codes)).toEqual([0, 0, 2, 1, 0]);
    const many = encodeLabels([-0, ...Array.from({ length: 12 }, (_, i) => i)], 'y');
    expect(Object.is(many.classes[0], 0)).toBe(true);
    expect(many.codes[0]).toBe(0);
  });
});
