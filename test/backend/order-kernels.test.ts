/**
 * The order family (the sort behind quantiles, ranks, KS/Wasserstein drift and the profile):
 * native's radix sort gives exactly the js oracle's Float64Array#sort order — bit for bit, with
 * -0 before +0, infinities, subnormals, ties and NaNs last — on short and long columns, and
 * leaves its input untouched; sortedCopy takes either backend and agrees. webgpu does not run
 * the family: a webgpu choice sorts on the CPU. The family's shuffle (a training loop's epoch order)
 * gives Rng.shuffle's permutation and leaves the generator where Rng.shuffle leaves it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveKernels } from '../../src/backend/select.js';
import { Rng, setBackend } from '../../src/index.js';
import { shuffleInPlace } from '../../src/ops/shuffle.js';
import { sortedCopy } from '../../src/ops/sort.js';
import { available } from '../helpers/backends.js';

const cpu = available.filter((b) => b !== 'webgpu');
const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length), (b, i) => (Number.isNaN(a[i]) ? 'NaN' : b.toString(16)));

function column(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const special = [0, -0, Infinity, -Infinity, NaN, -NaN, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE];
  return Float64Array.from({ length: n }, (_, i) => {
    const k = i % 7;
    if (k === 0) return special[rng.int(special.length)];
    if (k === 1) return Math.round(rng.normal() * 3); // ties
    if (k === 2) return rng.normal() * 2 ** (rng.int(600) - 300);
    return rng.normal();
  });
}

afterEach(() => setBackend('auto'));

describe('order kernels', () => {
  it.each(cpu)('%s sorts as Float64Array#sort does, bit for bit, without touching its input', async (name) => {
    const { kernels } = await resolveKernels('order', name, 1, 'test');
    for (const n of [0, 1, 5, 2047, 2048, 100_000]) {
      const values = column(n, n + 1);
      const before = values.slice();
      const sorted = kernels.sortF64(values);
      expect(bits(sorted)).toEqual(bits(before.slice().sort()));
      expect(bits(values)).toEqual(bits(before));
    }
  });

  it.each(cpu)('%s argsorts stably: ties (and -0 with +0) in index order, NaNs last', async (name) => {
    const { kernels } = await resolveKernels('order', name, 1, 'test');
    for (const n of [0, 1, 7, 2048, 50_000]) {
      const values = column(n, 2 * n + 5);
      const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
        const x = values[a],
          y = values[b];
        if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? a - b : Number.isNaN(x) ? 1 : -1;
        return x < y ? -1 : x > y ? 1 : a - b;
      });
      expect(Array.from(kernels.argsortF64(values))).toEqual(expected);
    }
  });

  it.each(cpu)('%s ranks as scipy rankdata average: ties share their mean position, -0 ties +0, each NaN alone and last', async (name) => {
    const { kernels } = await resolveKernels('order', name, 1, 'test');
    // scipy.stats.rankdata([3, 1, 3, -0, 0, 2]) = [5.5, 3, 5.5, 1.5, 1.5, 4]
    expect(Array.from(kernels.averageRanksF64(Float64Array.of(3, 1, 3, -0, 0, 2)))).toEqual([5.5, 3, 5.5, 1.5, 1.5, 4]);
    expect(Array.from(kernels.averageRanksF64(Float64Array.of(NaN, 1, NaN, 1)))).toEqual([3, 1.5, 4, 1.5]);
    expect(kernels.averageRanksF64(new Float64Array(0)).length).toBe(0);
    for (const n of [7, 2048, 50_000]) {
      const values = column(n, 3 * n + 1);
      const order = Array.from(kernels.argsortF64(values));
      const ranks = kernels.averageRanksF64(values);
      // invariants: ranks sum to n(n+1)/2, and equal values (NaN aside) share one rank
      expect(ranks.reduce((a, r) => a + r, 0)).toBe((n * (n + 1)) / 2);
      for (let k = 1; k < n; k++) {
        const a = values[order[k - 1]],
          b = values[order[k]];
        if (a === b) expect(ranks[order[k]]).toBe(ranks[order[k - 1]]);
        else expect(ranks[order[k]]).toBeGreaterThan(ranks[order[k - 1]]);
      }
    }
  });

  it.runIf(cpu.includes('native'))('native ranks equal js ranks on 200k values with ties and NaNs', async () => {
    const js = (await resolveKernels('order', 'js', 1, 'test')).kernels;
    const native = (await resolveKernels('order', 'native', 1, 'test')).kernels;
    const values = column(200_000, 9);
    expect(native.averageRanksF64(values)).toEqual(js.averageRanksF64(values));
    expect(() => native.averageRanksF64([1, 2] as never)).toThrowError(expect.objectContaining({ code: 'E_PARAM' }));
  });

  it.each(cpu)('sortedCopy on %s matches the engine sort for arrays and typed arrays, short and long', (name) => {
    setBackend(name);
    for (const n of [10, 5000]) {
      const values = column(n, 3);
      const expected = bits(values.slice().sort());
      expect(bits(sortedCopy(values))).toEqual(expected);
      expect(bits(sortedCopy(Array.from(values)))).toEqual(expected);
    }
  });

  it.each(cpu)('%s shuffles as Rng.shuffle does and advances the generator as far', async (name) => {
    const { kernels } = await resolveKernels('order', name, 1, 'test');
    for (const n of [0, 1, 2, 17, 2048, 300_007]) {
      const ref = new Rng(n + 3),
        expected = ref.shuffle(Int32Array.from({ length: n }, (_, i) => i));
      const state = Uint32Array.from(new Rng(n + 3).getState().slice(0, 4));
      const got = Int32Array.from({ length: n }, (_, i) => i);
      kernels.shuffleI32(got, state);
      expect(got).toEqual(expected);
      const next = Rng.fromState([...state, Number.NaN]);
      expect([next.nextUint32(), next.nextUint32()]).toEqual([ref.nextUint32(), ref.nextUint32()]);
    }
    // a permutation of whatever the array holds, not of 0..n-1
    const values = Int32Array.from({ length: 5000 }, (_, i) => 7 * i - 100);
    kernels.shuffleI32(values, Uint32Array.of(1, 2, 3, 4));
    expect(Array.from(values).sort((a, b) => a - b)).toEqual(Array.from({ length: 5000 }, (_, i) => 7 * i - 100));
  });

  it.each(cpu)('shuffleInPlace on %s continues the stream as Rng.shuffle would, short arrays and long, a spare normal kept', (name) => {
    setBackend(name);
    for (const n of [100, 100_000]) {
      const a = new Rng(11),
        b = new Rng(11);
      a.normal(); // leaves a spare normal in the state
      b.normal();
      const viaOps = shuffleInPlace(
        Int32Array.from({ length: n }, (_, i) => i),
        a,
      );
      expect(viaOps).toEqual(b.shuffle(Int32Array.from({ length: n }, (_, i) => i)));
      expect(a.getState()).toEqual(b.getState());
      expect(a.normal()).toBe(b.normal());
    }
  });

  it('refuses a shuffle without an Int32Array or a generator state', async () => {
    for (const name of cpu) {
      const { kernels } = await resolveKernels('order', name, 1, 'test');
      const bad: [unknown, unknown][] = [
        [[3, 1], Uint32Array.of(1, 2, 3, 4)],
        [new Float64Array(3), Uint32Array.of(1, 2, 3, 4)],
        [new Int32Array(3), Uint32Array.of(1, 2, 3)],
        [new Int32Array(3), new Uint32Array(4)],
        [new Int32Array(3), Int32Array.of(1, 2, 3, 4)],
      ];
      for (const [values, state] of bad)
        expect(() => kernels.shuffleI32(values as Int32Array, state as Uint32Array), name).toThrow(expect.objectContaining({ code: 'E_PARAM' }));
    }
  });

  it('refuses anything but a Float64Array at the kernel door', async () => {
    for (const name of cpu) {
      const { kernels } = await resolveKernels('order', name, 1, 'test');
      expect(() => kernels.sortF64([3, 1] as never)).toThrow(expect.objectContaining({ code: 'E_PARAM' }));
    }
  });
});
