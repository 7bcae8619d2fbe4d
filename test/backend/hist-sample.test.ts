/**
 * Row sampling of a boosting round (native/kernels/hist/sample.h, src/backend/hist/sample.ts):
 * the TypeScript reference is the oracle — native must keep the very same rows and scale the very
 * same gradients, bit for bit, on any thread count. Properties of the draws themselves: bagging
 * keeps a binomial share of rows, GOSS keeps every row of the largest |g · h| and scales the drawn
 * others by exactly (rows left) / ⌊n · otherRate⌋.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, Rng, setThreads } from '../../src/index.js';
import type { HistSampleArgs } from '../../src/backend/backend.js';
import { resolveKernels } from '../../src/backend/select.js';
import { gossKeysJs, sampleRowsJs } from '../../src/backend/hist/sample.js';
import { hasNative } from '../helpers/backends.js';

afterAll(async () => {
  setThreads(2);
  await dispose();
});

const code = (c: string) => expect.objectContaining({ code: c });

/** k blocks of n interleaved (g, h): logistic-like gradients in [-1, 1], hessians in (0, 0.25]; ties on purpose. */
function gradients(n: number, k: number, seed: number): Float64Array {
  const rng = new Rng(seed),
    gh = new Float64Array(2 * n * k);
  for (let i = 0; i < n * k; i++) {
    const p = rng.random();
    gh[2 * i] = i % 7 === 0 ? 0.5 : p - (rng.random() < 0.3 ? 1 : 0);
    gh[2 * i + 1] = i % 7 === 0 ? 0.25 : Math.max(p * (1 - p), 1e-16);
  }
  return gh;
}

/** The first index where a and b differ (Object.is: bit patterns of NaN aside), or -1 (toEqual is slow on 10^5 entries). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

const args = (strategy: 'bagging' | 'goss', n: number, k: number, seed: number, gradHess: Float64Array | null): HistSampleArgs => ({
  strategy,
  n,
  k,
  gradHess,
  rate: 0.3,
  topRate: 0.2,
  otherRate: 0.1,
  seed,
});

describe('bagging', () => {
  it('keeps a binomial share of rows, ascending, from a seed; at least one row', () => {
    const n = 200_000,
      rows = sampleRowsJs(args('bagging', n, 1, 5, null));
    // Binomial(n, 0.3): within 5 standard deviations.
    expect(Math.abs(rows.length - 0.3 * n)).toBeLessThan(5 * Math.sqrt(n * 0.3 * 0.7));
    for (let j = 1; j < rows.length; j++) expect(rows[j]).toBeGreaterThan(rows[j - 1]);
    expect(Array.from(sampleRowsJs(args('bagging', n, 1, 5, null)))).toEqual(Array.from(rows));
    expect(sampleRowsJs(args('bagging', n, 1, 6, null))).not.toEqual(rows);
    expect(sampleRowsJs({ ...args('bagging', n, 1, 5, null), rate: 1 }).length).toBe(n);
    // A share too small for 3 rows still keeps one: the row of smallest hash.
    const one = sampleRowsJs({ ...args('bagging', 3, 1, 9, null), rate: 1e-9 });
    expect(one.length).toBe(1);
    expect(one[0]).toBeGreaterThanOrEqual(0);
    expect(one[0]).toBeLessThan(3);
  });
});

describe('GOSS', () => {
  it('keeps every row of the largest |g · h| and scales exactly the drawn others', () => {
    const n = 50_000,
      k = 2,
      gh = gradients(n, k, 3),
      before = gh.slice();
    const rows = sampleRowsJs(args('goss', n, k, 11, gh));
    const key = (r: number) => Math.fround(Math.abs(before[2 * r] * before[2 * r + 1]) + Math.abs(before[2 * (n + r)] * before[2 * (n + r) + 1]));
    const keys = Float64Array.from({ length: n }, (_, r) => key(r));
    const threshold = Float64Array.from(keys).sort()[n - Math.floor(0.2 * n)];
    const top = new Set<number>();
    for (let r = 0; r < n; r++) if (keys[r] >= threshold) top.add(r);
    expect(top.size).toBeGreaterThanOrEqual(Math.floor(0.2 * n));
    const kept = new Set(rows);
    for (const r of top) expect(kept.has(r)).toBe(true);
    const up = (n - top.size) / Math.floor(0.1 * n);
    let others = 0;
    for (let r = 0; r < n; r++) {
      const scaled = kept.has(r) && !top.has(r);
      if (scaled) others++;
      for (let c = 0; c < k; c++)
        for (const o of [0, 1]) {
          const i = 2 * (c * n + r) + o;
          expect(gh[i]).toBe(scaled ? before[i] * up : before[i]);
        }
    }
    // The others are Binomial(n − top, ⌊0.1 n⌋ / (n − top)).
    const q = Math.floor(0.1 * n) / (n - top.size);
    expect(Math.abs(others - 0.1 * n)).toBeLessThan(5 * Math.sqrt((n - top.size) * q * (1 - q)));
    // Unbiased: the scaled sum of the hessians of the kept rows is close to the sum over all rows.
    let all = 0,
      sampled = 0;
    for (let r = 0; r < n; r++) all += before[2 * r + 1];
    for (const r of rows) sampled += gh[2 * r + 1];
    expect(Math.abs(sampled - all) / all).toBeLessThan(0.02);
  });

  it('keeps every row, unscaled, when topRate + otherRate cover them', () => {
    const gh = gradients(100, 1, 1),
      before = gh.slice();
    const rows = sampleRowsJs({ ...args('goss', 100, 1, 2, gh), topRate: 0.5, otherRate: 0.5 });
    expect(Array.from(rows)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(gh).toEqual(before);
  });
});

describe.runIf(hasNative)('native against the reference', () => {
  it('the same rows and the same scaled gradients, bit for bit, on 1 and 2 threads', async () => {
    const { kernels } = await resolveKernels('hist', 'native', 1, 'test');
    for (const threads of [1, 2]) {
      setThreads(threads);
      // 300k rows span several row ranges per thread; 1,000 stay in one.
      for (const [n, k] of [
        [1_000, 1],
        [300_000, 1],
        [70_000, 3],
      ]) {
        for (const strategy of ['bagging', 'goss'] as const) {
          const ghJs = gradients(n, k, n + k),
            ghNative = ghJs.slice();
          const js = sampleRowsJs(args(strategy, n, k, 17, ghJs));
          const out = new Int32Array(n);
          const native = await kernels.sampleRows({ ...args(strategy, n, k, 17, ghNative), out });
          expect(native.buffer).toBe(out.buffer); // written into the caller's array
          expect(native.length).toBe(js.length);
          expect(firstDifference(native, js)).toBe(-1);
          expect(firstDifference(ghNative, ghJs)).toBe(-1);
        }
      }
    }
  });

  it('GOSS keys written by the gradients kernel are the sampler’s own, and draw the same rows', async () => {
    const [native, js] = await Promise.all(['native', 'js'].map(async (b) => (await resolveKernels('hist', b as 'js', 1, 'test')).kernels));
    const rng = new Rng(31);
    for (const [loss, n, k] of [
      ['logistic', 300_000, 1],
      ['softmax', 70_000, 3],
      ['squared_error', 1_000, 1],
    ] as const) {
      const y = Float64Array.from({ length: n }, () => (loss === 'squared_error' ? rng.normal() : Math.floor(rng.random() * Math.max(2, k))));
      const scores = Float64Array.from({ length: n * k }, () => rng.normal());
      const ghNative = new Float64Array(2 * n * k),
        ghJs = new Float64Array(2 * n * k);
      const keysNative = new Uint32Array(n),
        keysJs = new Uint32Array(n);
      await native.gradients(loss, n, k, y, scores, null, 0, ghNative, keysNative);
      await js.gradients(loss, n, k, y, scores, null, 0, ghJs, keysJs);
      expect([loss, firstDifference(keysNative, gossKeysJs(ghNative, n, k))]).toEqual([loss, -1]);
      expect([loss, firstDifference(keysJs, gossKeysJs(ghJs, n, k))]).toEqual([loss, -1]);
      // Rows and scaled gradients from the given keys equal the reference computing its own.
      const want = ghNative.slice(),
        rows = sampleRowsJs(args('goss', n, k, 7, want));
      const got = await native.sampleRows({ ...args('goss', n, k, 7, ghNative), keys: keysNative });
      expect([loss, got.length, firstDifference(got, rows)]).toEqual([loss, rows.length, -1]);
      expect([loss, firstDifference(ghNative, want)]).toEqual([loss, -1]);
    }
  });

  it('GOSS agrees on keys that defeat the sampled bracket: mass ties, a few distinct values, extreme shares', async () => {
    // The native threshold comes from a sample's bracket, or from a radix select when the bracket
    // holds too many keys or misses: every path must give the reference's rows.
    const { kernels } = await resolveKernels('hist', 'native', 1, 'test');
    const n = 200_000,
      rng = new Rng(8);
    const shaped = (value: (r: number) => number) => {
      const gh = new Float64Array(2 * n);
      for (let r = 0; r < n; r++) {
        gh[2 * r] = value(r);
        gh[2 * r + 1] = 0.25;
      }
      return gh;
    };
    const cases: [string, Float64Array, number, number][] = [
      ['all equal', shaped(() => 0.5), 0.2, 0.1],
      ['90% equal', shaped(() => (rng.random() < 0.9 ? 0.3 : rng.random())), 0.2, 0.1],
      ['three values', shaped((r) => [0.1, 0.2, 0.3][r % 3]), 0.2, 0.1],
      ['sorted by row', shaped((r) => r / n), 0.2, 0.1],
      ['one top row', gradients(n, 1, 5), 1 / n, 0.1],
      ['nearly all top', gradients(n, 1, 6), 0.95, 0.01],
    ];
    for (const threads of [1, 2]) {
      setThreads(threads);
      for (const [name, gh, topRate, otherRate] of cases) {
        const ghJs = gh.slice(),
          ghNative = gh.slice();
        const js = sampleRowsJs({ ...args('goss', n, 1, 23, ghJs), topRate, otherRate });
        const native = await kernels.sampleRows({ ...args('goss', n, 1, 23, ghNative), topRate, otherRate });
        expect([name, native.length]).toEqual([name, js.length]);
        expect([name, firstDifference(native, js)]).toEqual([name, -1]);
        expect([name, firstDifference(ghNative, ghJs)]).toEqual([name, -1]);
      }
    }
  });

  it('refuses shares out of range and gradients of the wrong length', async () => {
    const { kernels } = await resolveKernels('hist', 'native', 1, 'test');
    const gh = gradients(10, 1, 1);
    await expect(kernels.sampleRows({ ...args('bagging', 10, 1, 1, null), rate: 0 })).rejects.toThrow(code('E_PARAM'));
    await expect(kernels.sampleRows({ ...args('goss', 10, 1, 1, gh), topRate: 1.5 })).rejects.toThrow(code('E_PARAM'));
    await expect(kernels.sampleRows(args('goss', 10, 2, 1, gh))).rejects.toThrow(code('E_LENGTH'));
    await expect(kernels.sampleRows({ ...args('bagging', 10, 1, 1, null), out: new Int32Array(5) })).rejects.toThrow(code('E_LENGTH'));
    // GOSS keys, given or asked for, are one per row.
    await expect(kernels.sampleRows({ ...args('goss', 10, 1, 1, gh), keys: new Uint32Array(9) })).rejects.toThrow(code('E_LENGTH'));
    await expect(kernels.gradients('logistic', 10, 1, new Float64Array(10), new Float64Array(10), null, 0, gh, new Uint32Array(11))).rejects.toThrow(
      code('E_LENGTH'),
    );
    // Large draws run off the main thread: a promise, the same rows as the reference.
    const big = 300_000,
      ghBig = gradients(big, 1, 4);
    const pending = kernels.sampleRows(args('goss', big, 1, 3, ghBig.slice()));
    expect(pending).toBeInstanceOf(Promise);
    expect(firstDifference(await pending, sampleRowsJs(args('goss', big, 1, 3, ghBig.slice())))).toBe(-1);
  });
});
