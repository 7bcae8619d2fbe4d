/**
 * LIBSVM's kernel row cache: f32 rows (LIBSVM's Qfloat) of varying valid length, least recently
 * used first out, within a budget of `cacheSize` MB counted in floats as LIBSVM counts it. The
 * solver's shrinking permutes indices; `swapIndex` swaps two indices' rows and their columns in
 * every cached row (a row too short to hold both columns is dropped), as LIBSVM's Cache does.
 */
export class KernelCache {
  private readonly rows: (Float32Array | null)[];
  private readonly len: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  /** Floats still free. */
  private size: number;

  constructor(
    private readonly l: number,
    cacheBytes: number,
  ) {
    this.rows = new Array(l).fill(null);
    this.len = new Int32Array(l);
    // a circular list with the sentinel at index l
    this.prev = new Int32Array(l + 1).fill(-1);
    this.next = new Int32Array(l + 1).fill(-1);
    this.prev[l] = this.next[l] = l;
    // LIBSVM: the budget in floats, less the row headers (32 bytes each), at least two full rows
    this.size = Math.max(Math.floor(cacheBytes / 4) - l * 8, 2 * l);
  }

  /** The row of `index` (valid for the length last asked of getData). */
  row(index: number): Float32Array {
    return this.rows[index] as Float32Array;
  }

  /**
   * Makes `index`'s row hold at least `want` floats and marks it most recently used; returns how
   * many of them were already valid (the caller fills the rest).
   */
  getData(index: number, want: number): number {
    const had = this.len[index];
    if (had) this.unlink(index);
    const more = want - had;
    if (more > 0) {
      while (this.size < more) {
        const old = this.next[this.l];
        this.unlink(old);
        this.size += this.len[old];
        this.rows[old] = null;
        this.len[old] = 0;
      }
      const grown = new Float32Array(want);
      const cur = this.rows[index];
      if (cur) grown.set(cur.subarray(0, had));
      this.rows[index] = grown;
      this.size -= more;
      this.len[index] = want;
    }
    this.link(index);
    return more > 0 ? had : want;
  }

  swapIndex(i: number, j: number): void {
    if (i === j) return;
    const { rows, len } = this;
    if (len[i]) this.unlink(i);
    if (len[j]) this.unlink(j);
    [rows[i], rows[j]] = [rows[j], rows[i]];
    const t = len[i];
    len[i] = len[j];
    len[j] = t;
    if (len[i]) this.link(i);
    if (len[j]) this.link(j);
    if (i > j) [i, j] = [j, i];
    for (let h = this.next[this.l]; h !== this.l; ) {
      const after = this.next[h];
      if (len[h] > i) {
        const r = rows[h] as Float32Array;
        if (len[h] > j) {
          const v = r[i];
          r[i] = r[j];
          r[j] = v;
        } else {
          this.unlink(h);
          this.size += len[h];
          rows[h] = null;
          len[h] = 0;
        }
      }
      h = after;
    }
  }

  private unlink(h: number): void {
    this.next[this.prev[h]] = this.next[h];
    this.prev[this.next[h]] = this.prev[h];
  }

  private link(h: number): void {
    const l = this.l;
    this.next[h] = l;
    this.prev[h] = this.prev[l];
    this.next[this.prev[h]] = h;
    this.prev[this.next[h]] = h;
  }
}
