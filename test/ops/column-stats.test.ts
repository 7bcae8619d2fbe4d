import { describe, expect, it } from 'vitest';
import { Matrix, Rng, columnMax, columnMean, columnMin, columnStats, columnStatsSync, columnSum, columnVariance } from '../../src/index.js';
import { available } from '../helpers/backends.js';
import { randomDim } from '../helpers/random.js';

const code = (c: string) => expect.objectContaining({ code: c });

/** Exact statistics in f64 by the textbook two-pass formulas. */
function exact(x: Float32Array | Float64Array, rows: number, cols: number) {
  const out = { mean: [] as number[], variance: [] as number[], min: [] as number[], max: [] as number[], sum: [] as number[] };
  for (let c = 0; c < cols; c++) {
    let s = 0,
      lo = Infinity,
      hi = -Infinity;
    for (let r = 0; r < rows; r++) {
      const v = x[r * cols + c];
      s += v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const mean = s / rows;
    let m2 = 0;
    for (let r = 0; r < rows; r++) m2 += (x[r * cols + c] - mean) ** 2;
    out.mean.push(mean);
    out.variance.push(m2 / rows);
    out.min.push(lo);
    out.max.push(hi);
    out.sum.push(s);
  }
  return out;
}

describe.each(available)('column statistics on %s', (backend) => {
  // webgpu accumulates each block of rows in f32 and merges blocks in f64.
  const rtol = backend === 'webgpu' ? 2e-5 : 1e-12;

  it('gives the closed-form values of a small matrix', async () => {
    const s = await columnStats(
      [
        [1, 10],
        [2, 20],
        [3, 30],
        [4, 40],
      ],
      { backend, ddof: 1 },
    );
    expect(Array.from(s.count)).toEqual([4, 4]);
    expect(Array.from(s.sum)).toEqual([10, 100]);
    expect(Array.from(s.mean)).toEqual([2.5, 25]);
    expect(s.variance[0]).toBeCloseTo(5 / 3, 12);
    expect(s.variance[1]).toBeCloseTo(500 / 3, 9);
    expect(Array.from(s.min)).toEqual([1, 10]);
    expect(Array.from(s.max)).toEqual([4, 40]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  it('agrees with exact two-pass statistics over random shapes (f32 and f64 input)', async () => {
    const rng = new Rng(31 + backend.length);
    for (let trial = 0; trial < 8; trial++) {
      const rows = trial === 0 ? 70_001 : randomDim(rng, 3000),
        cols = trial === 0 ? 3 : randomDim(rng, 130);
      const f64 = trial % 2 === 1;
      const data = f64 ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
      // An offset mean stresses the variance (a naive sum-of-squares would lose it).
      for (let i = 0; i < data.length; i++) data[i] = 1000 + rng.normal() * 3;
      const x = new Matrix(data, rows, cols);
      const s = await columnStats(x, { backend });
      const ref = exact(backend === 'webgpu' && f64 ? Float32Array.from(data) : data, rows, cols);
      for (let c = 0; c < cols; c++) {
        expect(s.count[c]).toBe(rows);
        expect(Math.abs(s.mean[c] - ref.mean[c])).toBeLessThanOrEqual(rtol * Math.abs(ref.mean[c]));
        expect(Math.abs(s.sum[c] - ref.sum[c])).toBeLessThanOrEqual(rtol * Math.abs(ref.sum[c]) * 4);
        // variance is relative to the spread, not the offset: allow (offset/sd)² amplification on f32 blocks
        const vtol = backend === 'webgpu' ? 5e-3 : 1e-9;
        expect(Math.abs(s.variance[c] - ref.variance[c])).toBeLessThanOrEqual(vtol * ref.variance[c] + 1e-12);
        expect(s.min[c]).toBe(ref.min[c]);
        expect(s.max[c]).toBe(ref.max[c]);
      }
    }
  });

  it('rejects NaN/Infinity by default and skips them with nonFinite: ignore', async () => {
    const x = [
      [1, NaN],
      [3, 4],
      [Infinity, 6],
    ];
    await expect(columnStats(x, { backend })).rejects.toThrowError(code('E_NONFINITE'));
    await expect(columnStats(x, { backend })).rejects.toThrow(/column 0/);
    const s = await columnStats(x, { backend, nonFinite: 'ignore' });
    expect(Array.from(s.count)).toEqual([2, 2]);
    expect(Array.from(s.nonFinite)).toEqual([1, 1]);
    expect(Array.from(s.mean)).toEqual([2, 5]);
    expect(Array.from(s.min)).toEqual([1, 4]);
    expect(Array.from(s.max)).toEqual([3, 6]);
  });

  it('skips scattered NaN/Infinity exactly like the reference, on narrow and wide shapes', async () => {
    const rng = new Rng(77);
    for (const [rows, cols] of [
      [1001, 1],
      [999, 3],
      [5000, 7],
      [300, 70],
    ]) {
      const data = new Float64Array(rows * cols);
      for (let i = 0; i < data.length; i++) {
        const u = rng.random();
        data[i] = u < 0.05 ? NaN : u < 0.07 ? (u < 0.06 ? Infinity : -Infinity) : rng.normal() * 10 + 5;
      }
      const got = await columnStats(new Matrix(data, rows, cols), { backend, nonFinite: 'ignore' });
      for (let c = 0; c < cols; c++) {
        const vals: number[] = [];
        let bad = 0;
        for (let r = 0; r < rows; r++) {
          const v = data[r * cols + c];
          if (Number.isFinite(v)) vals.push(v);
          else bad++;
        }
        const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
        const variance = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length;
        expect(got.count[c]).toBe(vals.length);
        expect(got.nonFinite[c]).toBe(bad);
        expect(Math.abs(got.mean[c] - mean)).toBeLessThanOrEqual(rtol * 10 * Math.abs(mean) + 1e-9);
        expect(Math.abs(got.variance[c] - variance)).toBeLessThanOrEqual((backend === 'webgpu' ? 1e-4 : 1e-10) * variance);
        const f = (v: number) => (backend === 'webgpu' ? Math.fround(v) : v);
        expect(got.min[c]).toBe(f(Math.min(...vals)));
        expect(got.max[c]).toBe(f(Math.max(...vals)));
      }
    }
  });

  it('gives NaN variance when count ≤ ddof, and NaN mean for an all-missing column', async () => {
    const s = await columnStats([[5, NaN]], { backend, ddof: 1, nonFinite: 'ignore' });
    expect(s.variance[0]).toBeNaN();
    expect(s.mean[1]).toBeNaN();
    expect(s.min[1]).toBeNaN();
  });

  it('is deterministic: the same input gives the same bits', async () => {
    const rng = new Rng(5);
    const data = new Float32Array(50_000 * 4).map(() => rng.normal());
    const x = new Matrix(data, 50_000, 4);
    const a = await columnStats(x, { backend });
    const b = await columnStats(x, { backend });
    expect(Array.from(a.variance)).toEqual(Array.from(b.variance));
    expect(Array.from(a.sum)).toEqual(Array.from(b.sum));
  });
});

describe('column reduction helpers', () => {
  it('columnSum/Mean/Variance/Min/Max return the fields of columnStats', async () => {
    const x = [
      [1, -2],
      [3, 4],
    ];
    expect(Array.from(await columnSum(x))).toEqual([4, 2]);
    expect(Array.from(await columnMean(x))).toEqual([2, 1]);
    expect(Array.from(await columnVariance(x))).toEqual([1, 9]);
    expect(Array.from(await columnVariance(x, { ddof: 1 }))).toEqual([2, 18]);
    expect(Array.from(await columnMin(x))).toEqual([1, -2]);
    expect(Array.from(await columnMax(x))).toEqual([3, 4]);
    expect(Array.from(columnStatsSync(x).mean)).toEqual([2, 1]);
  });

  it('rejects bad options and empty input', async () => {
    await expect(columnStats([[1]], { ddof: -1 })).rejects.toThrowError(code('E_PARAM'));
    await expect(columnStats([[1]], { nonFinite: 'skip' as any })).rejects.toThrowError(code('E_PARAM'));
    await expect(columnStats([[1]], { axis: 1 } as any)).rejects.toThrow(/unknown option 'axis'/);
    await expect(columnStats([])).rejects.toThrowError(code('E_EMPTY'));
    await expect(columnStats(new Matrix(new Float64Array(0), 0, 3))).rejects.toThrowError(code('E_EMPTY'));
  });
});
