/**
 * The group family (per-group sums and counts behind groupBy): native against the js oracle on
 * long columns that take the threaded path, with missing values and rows left out; exact counts,
 * sums within 1e-12 relative (native merges per-thread Kahan sums, js sums in one run); bad codes
 * refused by both. webgpu does not run the family: groupBy takes the CPU.
 */
import { describe, expect, it } from 'vitest';
import { resolveKernels } from '../../src/backend/select.js';
import { Frame, Rng, setBackend } from '../../src/index.js';
import { available, hasNative } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });
const cpu = available.filter((b) => b !== 'webgpu');

function column(n: number, groups: number, seed: number) {
  const rng = new Rng(seed);
  const values = Float64Array.from({ length: n }, () => (rng.random() < 0.02 ? NaN : (rng.random() - 0.3) * 1e3));
  const codes = Int32Array.from({ length: n }, () => (rng.random() < 0.01 ? -1 : Math.floor(rng.random() * groups)));
  return { values, codes };
}

describe('group kernels', () => {
  it.each(cpu)('%s agrees with a plain f64 reference (sums, counts, NaN and left-out rows skipped)', async (name) => {
    const { kernels } = await resolveKernels('group', name, 1, 'test');
    const { values, codes } = column(20_000, 7, 1);
    const { sum, count } = kernels.groupSums(values, codes, 7);
    const refSum = new Float64Array(7),
      refCount = new Float64Array(7);
    codes.forEach((g, r) => {
      if (g >= 0 && !Number.isNaN(values[r])) {
        refSum[g] += values[r];
        refCount[g]++;
      }
    });
    expect(Array.from(count)).toEqual(Array.from(refCount));
    sum.forEach((s, g) => expect(Math.abs(s - refSum[g])).toBeLessThan(1e-9 * Math.abs(refSum[g])));
  });

  it.runIf(hasNative)('native matches js on 3M rows (the threaded path) and on many small groups', async () => {
    const js = (await resolveKernels('group', 'js', 1, 'test')).kernels;
    const native = (await resolveKernels('group', 'native', 1, 'test')).kernels;
    for (const [n, groups] of [
      [3_000_000, 229],
      [100_000, 60_000],
    ]) {
      const { values, codes } = column(n, groups, n);
      const a = js.groupSums(values, codes, groups),
        b = native.groupSums(values, codes, groups);
      expect(b.count).toEqual(a.count);
      a.sum.forEach((s, g) => {
        if (Math.abs(b.sum[g] - s) > 1e-12 * Math.max(1, Math.abs(s))) expect(b.sum[g]).toBe(s);
      });
    }
  });

  it.each(cpu)('%s refuses codes outside [-1, groups) and mismatched lengths', async (name) => {
    const { kernels } = await resolveKernels('group', name, 1, 'test');
    expect(() => kernels.groupSums(Float64Array.of(1, 2), Int32Array.of(0, 3), 3)).toThrowError(code('E_PARAM'));
    expect(() => kernels.groupSums(Float64Array.of(1, 2), Int32Array.of(-2, 0), 3)).toThrowError(/codes\[0\] is -2/);
    expect(() => kernels.groupSums(Float64Array.of(1, 2), Int32Array.of(0), 3)).toThrowError(code('E_LENGTH'));
    const empty = kernels.groupSums(new Float64Array(0), new Int32Array(0), 0);
    expect(empty.sum.length).toBe(0);
  });

  it.each(cpu)('%s groups whole rows: first-appearance codes, -0 equal to +0, NaN to NaN, every missing code alike', async (name) => {
    const { kernels } = await resolveKernels('group', name, 1, 'test');
    const a = Float64Array.of(1, -0, NaN, 1, 0, NaN, 1),
      b = Int32Array.of(0, -1, 2, 0, -1, 2, 1);
    // rows 0 and 3 are equal; 1 and 4 (−0/0, missing); 2 and 5 (NaN, code 2); row 6 differs in b
    expect(kernels.rowGroups([a, b], 7)).toEqual({ codes: Int32Array.of(0, 1, 2, 0, 1, 2, 3), n: 4 });
    expect(kernels.rowGroups([], 0)).toEqual({ codes: new Int32Array(0), n: 0 });
    expect(kernels.rowGroups([a], 7).n).toBe(3);
    expect(() => kernels.rowGroups([a, Int32Array.of(1)], 7)).toThrowError(code('E_LENGTH'));
    expect(() => kernels.rowGroups([[1, 2] as never], 2)).toThrowError(code('E_PARAM'));
  });

  it.runIf(hasNative)('native row groups equal js on 1M rows with many repeats', async () => {
    const js = (await resolveKernels('group', 'js', 1, 'test')).kernels;
    const native = (await resolveKernels('group', 'native', 1, 'test')).kernels;
    const rng = new Rng(3);
    const n = 1_000_000;
    const x = Float64Array.from({ length: n }, () => [0, -0, NaN, 1.5, 2][rng.int(5)] + rng.int(300));
    const c = Int32Array.from({ length: n }, () => rng.int(40) - 1);
    const a = js.rowGroups([x, c], n),
      b = native.rowGroups([x, c], n);
    expect(b.n).toBe(a.n);
    expect(b.codes).toEqual(a.codes);
    expect(a.n).toBeLessThan(n / 2);
  });

  it('groupBy runs on the CPU under a process-wide webgpu choice, and takes a backend option', () => {
    const f = new Frame({ k: { kind: 'numeric', values: Float64Array.of(1, 1, 2) }, v: { kind: 'numeric', values: Float64Array.of(1, 2, 3) } });
    setBackend('webgpu');
    try {
      expect(Array.from((f.groupBy('k').agg({ v: 'mean' }).column('v') as { values: Float64Array }).values)).toEqual([1.5, 3]);
    } finally {
      setBackend('auto');
    }
    for (const backend of cpu) expect(f.groupBy('k', { backend }).agg({ v: 'sum' }).row(1)).toEqual({ k: 2, v: 3 });
    expect(() => f.groupBy('k', { backend: 'webgpu' })).toThrowError(code('E_PARAM'));
  });
});
