/**
 * kiln's seeded PRNG: xoshiro128** seeded through splitmix32. Same seed, same
 * sequence, on every platform (pure 32-bit integer arithmetic).
 */
import { ParamError } from './errors.js';

/**
 * MurmurHash3's 32-bit finaliser (fmix32): every input bit reaches every output bit. The one
 * copy of it: splitmix32 below, the hist engine's row hash, feature hashing and request routing.
 */
export function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  return fmix32(state.s);
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  /** `seed` is any integer; it is reduced to 32 bits. */
  constructor(seed: number) {
    if (!Number.isInteger(seed)) {
      throw new ParamError(`randomState must be an integer, got ${seed}; pass e.g. { randomState: 42 }`);
    }
    const st = { s: (seed % 0x100000000) | 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** The generator's full state (to checkpoint and resume a stream exactly). */
  getState(): number[] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0, this.spareNormal ?? NaN];
  }

  /** A generator continuing exactly where the one that gave `state` stopped. */
  static fromState(state: readonly number[]): Rng {
    return new Rng(0).setState(state);
  }

  /** Rewinds (or forwards) this generator to a state returned by getState(). */
  setState(state: readonly number[]): this {
    if (!Array.isArray(state) || state.length !== 5 || !state.slice(0, 4).every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)) {
      throw new ParamError('Rng.fromState: expected the 5 values returned by getState()');
    }
    [this.a, this.b, this.c, this.d] = state.slice(0, 4).map((v) => v | 0);
    this.spareNormal = Number.isNaN(state[4]) ? null : state[4];
    return this;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Uniform integer in [0, n), without modulo bias: draws below the largest multiple of n, reduced
   * mod n. The remainders are taken as x - floor(x / n) * n: exact here (x < 2^32, n <= 2^32, so
   * the quotient never rounds up to the next integer), the same values as x % n, which V8 compiles
   * to a call to fmod past int32 (a shuffle of 100,000 took 3-7 ms with it, 1.2-1.5 ms without).
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) {
      throw new ParamError(`Rng.int(n) needs an integer n in [1, 2^32], got ${n}`);
    }
    return this.below(n);
  }

  /** int(n) without the check of n: the draws below the largest multiple of n, reduced mod n. */
  private below(n: number): number {
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x - Math.floor(x / n) * n;
    }
  }

  /** Standard normal deviate (Marsaglia's polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    for (;;) {
      const u = 2 * this.random() - 1;
      const v = 2 * this.random() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * f;
        return u * f;
      }
    }
  }

  /**
   * k distinct indices of [0, n), ascending: the first k of a partial Fisher–Yates shuffle of
   * 0..n-1 (position i swapped with a uniform j in [i, n)). The n-entry array is virtual: the
   * first k positions live in an array, the few later ones a swap touched in a small hash table,
   * so drawing 200k of millions costs no pass over n but the ascending collection.
   */
  sampleIndices(n: number, k: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k) || k < 0 || k > n) {
      throw new ParamError(`Rng.sampleIndices(n, k) needs integers 0 <= k <= n, got n = ${n}, k = ${k}`);
    }
    const head = new Int32Array(k);
    for (let i = 0; i < k; i++) head[i] = i;
    if (k === n) return head;
    const bits = 32 - Math.clz32(Math.max(2, 2 * k - 1)),
      mask = (1 << bits) - 1;
    const keys = new Int32Array(mask + 1), // position + 1 (0: empty)
      vals = new Int32Array(mask + 1);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      if (j < k) {
        const t = head[i];
        head[i] = head[j];
        head[j] = t;
        continue;
      }
      let h = Math.imul(j, 0x9e3779b1) >>> (32 - bits);
      while (keys[h] !== 0 && keys[h] !== j + 1) h = (h + 1) & mask;
      const atJ = keys[h] !== 0 ? vals[h] : j;
      keys[h] = j + 1;
      vals[h] = head[i];
      head[i] = atJ;
    }
    // Ascending: marked, then collected in one pass (cheaper than sorting them).
    const drawn = new Uint8Array(n);
    for (let i = 0; i < k; i++) drawn[head[i]] = 1;
    for (let r = 0, c = 0; c < k; r++) if (drawn[r]) head[c++] = r;
    return head;
  }

  /**
   * Shuffles `arr` in place (Fisher–Yates) and returns it: element i swaps with int(i + 1), i from
   * the end down, drawn without int's check of its argument (i + 1 is always valid): the same
   * values, faster. Training loops shuffle through ops/shuffle.ts, which sends arrays of 256 values
   * and more to the CPU backend's order kernel (the same permutation, in C++ where it is native).
   */
  shuffle<T extends { length: number; [i: number]: any }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
