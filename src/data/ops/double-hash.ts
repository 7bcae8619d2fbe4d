/**
 * An open-addressing hash from doubles to dense ids (0, 1, 2, … in order of first insertion):
 * the factorizer of numeric keys. A JS Map boxes and rehashes; this one hashes the value's bits
 * into an Int32Array of slots and keeps the keys in a Float64Array, so a 3M-row key column is
 * one tight loop. −0 is 0; NaN is never inserted (the callers treat it as missing).
 */
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

export class DoubleHash {
  private slots: Int32Array;
  private mask: number;
  keys: Float64Array;
  size = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.keys = new Float64Array(Math.max(8, Math.min(expected, 1 << 20)));
  }

  /** The id of v, inserting it when new. */
  id(v: number): number {
    if (v === 0) v = 0; // −0 and 0 are one key
    bits[0] = v;
    let h = Math.imul(words[0] ^ Math.imul(words[1], 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    let s = h & this.mask;
    const slots = this.slots,
      keys = this.keys;
    for (;;) {
      const id = slots[s];
      if (id < 0) break;
      if (keys[id] === v) return id;
      s = (s + 1) & this.mask;
    }
    const id = this.size++;
    if (id === keys.length) {
      const grown = new Float64Array(keys.length * 2);
      grown.set(keys);
      this.keys = grown;
    }
    this.keys[id] = v;
    slots[s] = id;
    if (this.size * 2 > slots.length) this.grow();
    return id;
  }

  /** The id of v, or −1 when absent. */
  find(v: number): number {
    if (v === 0) v = 0;
    bits[0] = v;
    let h = Math.imul(words[0] ^ Math.imul(words[1], 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    let s = h & this.mask;
    for (;;) {
      const id = this.slots[s];
      if (id < 0 || this.keys[id] === v) return id;
      s = (s + 1) & this.mask;
    }
  }

  private grow(): void {
    const cap = this.slots.length * 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let id = 0; id < this.size; id++) {
      bits[0] = this.keys[id];
      let h = Math.imul(words[0] ^ Math.imul(words[1], 0x9e3779b1), 0x85ebca6b);
      h ^= h >>> 13;
      let s = h & this.mask;
      while (this.slots[s] >= 0) s = (s + 1) & this.mask;
      this.slots[s] = id;
    }
  }
}
