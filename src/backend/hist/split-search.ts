/**
 * The split search of native/kernels/hist/split.cc in f64 TypeScript: the same gain, the same
 * candidate order and tie rules (strict >, features and thresholds in order, missing right
 * before missing left, categories by a stable sort of their gradient ratio), so that from the
 * same sums it picks the same split. The js grower scans whole histograms with it; the webgpu
 * grower re-scores the candidates its device search could not rule out.
 */
import type { HistGrowArgs, HistTreeParams } from '../contract/hist.js';
import { randomThreshold } from './node-features.js';

export interface Split {
  feature: number;
  threshold: number;
  defaultLeft: boolean;
  categorical: boolean;
  catBits: Uint32Array;
  gain: number;
  /** Left sums in histogram units: gradient per channel, hessian, count. */
  lg: Float64Array;
  lh: number;
  ln: number;
}

/** One feature's bins in histogram units: g[c · nb + b] per channel c, h[b], n[b]. */
export interface Bins {
  g: Float64Array;
  h: Float64Array;
  n: Float64Array;
}

/** A numerical candidate (single channel): bins 1..t left, missing left or right, its left sums. */
export interface Candidate {
  t: number;
  missingLeft: boolean;
  ln: number;
  lg: number;
  lh: number;
}

export interface SplitContext {
  params: HistTreeParams;
  /** Histogram units to gradient units (1 unless quantised). */
  gScale: number;
  hScale: number;
  binCount: Int32Array;
  channels: number;
  /** Monotonic constraints per feature (-1, 0, 1; single channel), or null: none. */
  monotone?: Int8Array | null;
}

export function shrink(g: number, l1: number): number {
  if (l1 <= 0) return g;
  return g > l1 ? g - l1 : g < -l1 ? g + l1 : 0;
}

/** A leaf's output for channel c from its sums in gradient units: −T(G)/(H + l2), within monotonic bounds. */
export function leafValue(g: number, h: number, l1: number, l2: number, lower = -Infinity, upper = Infinity): number {
  const denom = h + l2;
  return Math.min(upper, Math.max(lower, denom > 0 ? -shrink(g, l1) / denom : 0));
}

/** split.cc's Searcher: feed it features in order, then take result(). */
export class Searcher {
  private best: Split;
  private valid = false;
  private readonly catL2: number;
  private readonly C: number;
  private readonly left: Float64Array;
  private readonly right: Float64Array;

  /** The constraint of the feature being searched (monotone mode). */
  private cst = 0;

  /**
   * G: the leaf's gradient sums per channel; H, N its hessian sum and row count (histogram units);
   * lower, upper: the bounds monotonic constraints put on the leaf's values.
   */
  constructor(
    private readonly ctx: SplitContext,
    private readonly G: Float64Array,
    private readonly H: number,
    private readonly N: number,
    private readonly lower = -Infinity,
    private readonly upper = Infinity,
  ) {
    this.C = ctx.channels;
    this.best = {
      feature: -1,
      threshold: 0,
      defaultLeft: false,
      categorical: false,
      catBits: new Uint32Array(8),
      gain: Math.max(0, ctx.params.minGainToSplit),
      lg: new Float64Array(this.C),
      lh: 0,
      ln: 0,
    };
    this.catL2 = ctx.params.lambdaL2 + ctx.params.catL2;
    this.left = new Float64Array(this.C);
    this.right = new Float64Array(this.C);
  }

  /** The regularised score of sums g (per channel, at offset `at` with stride `stride`) and h. */
  private score(g: Float64Array, at: number, stride: number, h: number, l2: number): number {
    const denom = h * this.ctx.hScale + l2;
    if (denom <= 0) return 0;
    let s = 0;
    for (let c = 0; c < this.C; c++) {
      const t = shrink(g[at + c * stride] * this.ctx.gScale, this.ctx.params.lambdaL1);
      s += t * t;
    }
    return s / denom;
  }

  private parentScore(l2: number): number {
    return this.ctx.monotone ? this.boundedScore(this.G[0], this.H, l2).score : this.score(this.G, 0, 1, this.H, l2);
  }

  /**
   * Monotone mode (scikit-learn's rule): the value −T(g)/(h + l2) clipped to the leaf's bounds,
   * and the score −T(g) · value it earns.
   */
  private boundedScore(g: number, h: number, l2: number): { value: number; score: number } {
    const t = shrink(g * this.ctx.gScale, this.ctx.params.lambdaL1),
      denom = h * this.ctx.hScale + l2;
    const value = Math.min(this.upper, Math.max(this.lower, denom > 0 ? -t / denom : 0));
    return { value, score: -t * value };
  }

  /** Tries left = (this.left, lh, ln); returns whether it became the best. */
  private consider(l2: number, parent: number, lh: number, ln: number): boolean {
    const p = this.ctx.params;
    const rn = this.N - ln,
      rh = this.H - lh;
    if (ln < p.minDataInLeaf || rn < p.minDataInLeaf) return false;
    if (lh * this.ctx.hScale < p.minSumHessianInLeaf || rh * this.ctx.hScale < p.minSumHessianInLeaf) return false;
    for (let c = 0; c < this.C; c++) this.right[c] = this.G[c] - this.left[c];
    let gain: number;
    if (this.ctx.monotone) {
      const l = this.boundedScore(this.left[0], lh, l2),
        r = this.boundedScore(this.right[0], rh, l2);
      if ((this.cst > 0 && l.value > r.value) || (this.cst < 0 && l.value < r.value)) return false;
      gain = l.score + r.score - parent;
    } else {
      gain = this.score(this.left, 0, 1, lh, l2) + this.score(this.right, 0, 1, rh, l2) - parent;
    }
    if (!(gain > this.best.gain) || !(gain > 1e-10 * Math.abs(parent))) return false;
    this.valid = true;
    this.best.gain = gain;
    this.best.lg.set(this.left);
    this.best.lh = lh;
    this.best.ln = ln;
    return true;
  }

  private setNumerical(f: number, t: number, defaultLeft: boolean): void {
    const b = this.best;
    b.feature = f;
    b.threshold = t;
    b.defaultLeft = defaultLeft;
    b.categorical = false;
  }

  /** A numerical feature from its whole histogram. */
  numericalBins(f: number, bins: Bins): void {
    this.cst = this.ctx.monotone?.[f] ?? 0;
    const l2 = this.ctx.params.lambdaL2,
      nb = this.ctx.binCount[f],
      C = this.C;
    const parent = this.parentScore(l2);
    const hasMissing = bins.n[0] > 0;
    const run = new Float64Array(C);
    let lh = 0,
      ln = 0;
    for (let t = 1; t < nb; t++) {
      for (let c = 0; c < C; c++) run[c] += bins.g[c * nb + t];
      lh += bins.h[t];
      ln += bins.n[t];
      if (t < nb - 1 || hasMissing) {
        this.left.set(run);
        if (this.consider(l2, parent, lh, ln)) this.setNumerical(f, t, hasMissing ? false : ln >= this.N - ln);
      }
      if (hasMissing && t < nb - 1) {
        for (let c = 0; c < C; c++) this.left[c] = run[c] + bins.g[c * nb];
        if (this.consider(l2, parent, lh + bins.h[0], ln + bins.n[0])) this.setNumerical(f, t, true);
      }
    }
  }

  /** Extra trees: a numerical feature's one random threshold at node `node` (split.cc, random_numerical). */
  numericalRandom(f: number, bins: Bins, node: number): void {
    this.cst = this.ctx.monotone?.[f] ?? 0;
    const nb = this.ctx.binCount[f],
      C = this.C,
      l2 = this.ctx.params.lambdaL2;
    let lo = 1,
      hi = nb - 1;
    while (lo < nb && bins.n[lo] === 0) lo++;
    while (hi > lo && bins.n[hi] === 0) hi--;
    if (lo >= hi) return; // one value in this node
    const t = randomThreshold(this.ctx.params.seed, node, f, lo, hi);
    this.left.fill(0);
    let lh = 0,
      ln = 0;
    for (let b = 1; b <= t; b++) {
      for (let c = 0; c < C; c++) this.left[c] += bins.g[c * nb + b];
      lh += bins.h[b];
      ln += bins.n[b];
    }
    const parent = this.parentScore(l2);
    const hasMissing = bins.n[0] > 0;
    if (this.consider(l2, parent, lh, ln)) this.setNumerical(f, t, hasMissing ? false : ln >= this.N - ln);
    if (hasMissing) {
      for (let c = 0; c < C; c++) this.left[c] += bins.g[c * nb];
      if (this.consider(l2, parent, lh + bins.h[0], ln + bins.n[0])) this.setNumerical(f, t, true);
    }
  }

  /** A numerical feature from the candidates a device search kept, in threshold order (single channel). */
  numericalCandidates(f: number, hasMissing: boolean, cands: Candidate[]): void {
    this.cst = this.ctx.monotone?.[f] ?? 0;
    const l2 = this.ctx.params.lambdaL2;
    const parent = this.parentScore(l2);
    for (const c of cands) {
      this.left[0] = c.lg;
      if (!this.consider(l2, parent, c.lh, c.ln)) continue;
      this.setNumerical(f, c.t, c.missingLeft ? true : hasMissing ? false : c.ln >= this.N - c.ln);
    }
  }

  /** A categorical feature: one category against the rest, or a prefix of categories ordered by gradient ratio. */
  categorical(f: number, bins: Bins): void {
    this.cst = 0;
    const p = this.ctx.params,
      nb = this.ctx.binCount[f],
      l2 = this.catL2,
      C = this.C;
    const parent = this.parentScore(l2);
    const present: number[] = [];
    for (let b = 0; b < nb; b++) if (bins.n[b] > 0) present.push(b);
    if (present.length < 2) return;
    if (C > 1 || present.length <= p.maxCatToOnehot) {
      for (const b of present) {
        for (let c = 0; c < C; c++) this.left[c] = bins.g[c * nb + b];
        if (this.consider(l2, parent, bins.h[b], bins.n[b])) this.setCategorical(f, [b]);
      }
      return;
    }
    const { gScale, hScale } = this.ctx;
    const ratio = (b: number) => (bins.g[b] * gScale) / (bins.h[b] * hScale + p.catSmooth);
    present.sort((a, b) => {
      // stable, as std::stable_sort with `ratio(a) < ratio(b)`
      const ra = ratio(a),
        rb = ratio(b);
      return ra < rb ? -1 : rb < ra ? 1 : 0;
    });
    let lg = 0,
      lh = 0,
      ln = 0;
    for (let k = 0; k + 1 < present.length; k++) {
      const b = present[k];
      lg += bins.g[b];
      lh += bins.h[b];
      ln += bins.n[b];
      this.left[0] = lg;
      if (this.consider(l2, parent, lh, ln)) this.setCategorical(f, present.slice(0, k + 1));
    }
  }

  private setCategorical(f: number, left: number[]): void {
    const b = this.best;
    b.feature = f;
    b.threshold = 0;
    b.categorical = true;
    b.catBits = new Uint32Array(8);
    for (const x of left) b.catBits[x >> 5] |= (1 << (x & 31)) >>> 0;
    b.defaultLeft = (b.catBits[0] & 1) !== 0;
  }

  result(): Split | null {
    return this.valid ? this.best : null;
  }
}

/**
 * The bounds of a split's children under monotonic constraints (scikit-learn's rule): the
 * parent's, and where the split feature is constrained the children meet at the mean of their
 * parent-bounded values. G, H: the parent's sums (histogram units, one channel).
 */
export function childBounds(
  ctx: SplitContext,
  s: Split,
  G: number,
  H: number,
  lower: number,
  upper: number,
): { left: [number, number]; right: [number, number] } {
  const cst = ctx.monotone && !s.categorical ? ctx.monotone[s.feature] : 0;
  if (cst === 0) return { left: [lower, upper], right: [lower, upper] };
  const { lambdaL1: l1, lambdaL2: l2 } = ctx.params;
  const vl = leafValue(s.lg[0] * ctx.gScale, s.lh * ctx.hScale, l1, l2, lower, upper),
    vr = leafValue((G - s.lg[0]) * ctx.gScale, (H - s.lh) * ctx.hScale, l1, l2, lower, upper);
  const mid = (vl + vr) / 2;
  return cst > 0 ? { left: [lower, mid], right: [mid, upper] } : { left: [mid, upper], right: [lower, mid] };
}

/** Marks node `id` of a grown tree as a leaf: no split fields, no children, zero gain (the leaf values are the caller's). */
export function clearSplit(o: HistGrowArgs['out'], id: number): void {
  o.feature[id] = -1;
  o.threshold[id] = 0;
  o.defaultLeft[id] = 0;
  o.isCategorical[id] = 0;
  o.catBits.fill(0, 8 * id, 8 * id + 8);
  o.left[id] = -1;
  o.right[id] = -1;
  o.gain[id] = 0;
}
