/**
 * The functional ANOVA decomposition of a regression tree (Hutter et al. 2014), as Optuna 3.1's
 * _FanovaTree computes it: the tree cuts the search box into leaf boxes; the variance of the tree's
 * prediction under the uniform measure on the box is split by marginalising over every feature
 * but the ones rated. A feature's marginal is evaluated at the midpoints of the cells its split
 * thresholds make (Optuna's grid), each cell weighted by its width.
 */

/** One tree as plain arrays: children after their parent, `feature` −1 at a leaf, x <= threshold goes left. */
export interface PlainTree {
  feature: ArrayLike<number>;
  threshold: ArrayLike<number>;
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  /** The prediction at each leaf (read at leaves only). */
  value: ArrayLike<number>;
}

function weightedVariance(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  let sw = 0,
    s = 0;
  for (let i = 0; i < values.length; i++) {
    sw += weights[i];
    s += weights[i] * values[i];
  }
  const mean = s / sw;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += weights[i] * (values[i] - mean) ** 2;
  return v / sw;
}

export class FanovaTree {
  private readonly p: number;
  /** Thresholds, clamped into the bounds. */
  private readonly thr: Float64Array;
  /** Per node: mean prediction over its box and the box's volume. */
  private readonly statValue: Float64Array;
  private readonly statWeight: Float64Array;
  /** Per node × feature: whether the node's subtree splits on the feature. */
  private readonly active: Uint8Array;
  /** Per feature: the midpoints and widths of the cells its thresholds (and the bounds) make. */
  private readonly midpoints: Float64Array[] = [];
  private readonly sizes: Float64Array[] = [];
  /** Variance of the tree's prediction over the box. */
  readonly variance: number;

  /** `bounds[f]` = [low, high] of feature f. Thresholds outside a feature's bounds are clamped into them. */
  constructor(
    private readonly tree: PlainTree,
    private readonly bounds: readonly (readonly [number, number])[],
  ) {
    const n = tree.feature.length,
      p = bounds.length;
    this.p = p;
    const thr = Float64Array.from({ length: n }, (_, i) => (tree.feature[i] >= 0 ? clamp(tree.threshold[i], bounds[tree.feature[i]]) : 0));
    this.thr = thr;
    // Boxes top-down (parents come first), statistics bottom-up.
    const lo = new Float64Array(n * p),
      hi = new Float64Array(n * p);
    for (let f = 0; f < p; f++) {
      lo[f] = bounds[f][0];
      hi[f] = bounds[f][1];
    }
    this.statValue = new Float64Array(n);
    this.statWeight = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const f = tree.feature[i];
      if (f < 0) {
        let vol = 1;
        for (let g = 0; g < p; g++) vol *= hi[i * p + g] - lo[i * p + g];
        this.statValue[i] = tree.value[i];
        this.statWeight[i] = vol;
        continue;
      }
      for (const [c, side] of [
        [tree.left[i], 1],
        [tree.right[i], 0],
      ] as const) {
        lo.copyWithin(c * p, i * p, i * p + p);
        hi.copyWithin(c * p, i * p, i * p + p);
        if (side === 1) hi[c * p + f] = thr[i];
        else lo[c * p + f] = thr[i];
      }
    }
    this.active = new Uint8Array(n * p);
    for (let i = n - 1; i >= 0; i--) {
      const f = tree.feature[i];
      if (f < 0) continue;
      const l = tree.left[i],
        r = tree.right[i];
      const wl = this.statWeight[l],
        wr = this.statWeight[r];
      this.statWeight[i] = wl + wr;
      this.statValue[i] = wl + wr > 0 ? (wl * this.statValue[l] + wr * this.statValue[r]) / (wl + wr) : 0.5 * (this.statValue[l] + this.statValue[r]);
      this.active[i * p + f] = 1;
      for (let g = 0; g < p; g++) this.active[i * p + g] |= this.active[l * p + g] | this.active[r * p + g];
    }
    const splits: number[][] = Array.from({ length: p }, () => []);
    for (let i = 0; i < n; i++) if (tree.feature[i] >= 0) splits[tree.feature[i]].push(thr[i]);
    for (let f = 0; f < p; f++) {
      const cuts = [bounds[f][0], ...[...new Set(splits[f])].sort((a, b) => a - b), bounds[f][1]];
      this.midpoints.push(Float64Array.from({ length: cuts.length - 1 }, (_, k) => 0.5 * (cuts[k] + cuts[k + 1])));
      this.sizes.push(Float64Array.from({ length: cuts.length - 1 }, (_, k) => cuts[k + 1] - cuts[k]));
    }
    const leafValues: number[] = [],
      leafWeights: number[] = [];
    for (let i = 0; i < n; i++) {
      if (tree.feature[i] < 0) {
        leafValues.push(this.statValue[i]);
        leafWeights.push(this.statWeight[i]);
      }
    }
    this.variance = weightedVariance(leafValues, leafWeights);
  }

  /** The variance of the marginal prediction over `features` (the columns of one parameter), the others averaged out. */
  marginalVariance(features: readonly number[]): number {
    const dims = features.map((f) => this.midpoints[f].length);
    const total = dims.reduce((a, b) => a * b, 1);
    const values = new Float64Array(total),
      weights = new Float64Array(total);
    const point = new Float64Array(this.p).fill(Number.NaN);
    const idx = new Array<number>(features.length).fill(0);
    for (let g = 0; g < total; g++) {
      let size = 1;
      for (let k = 0; k < features.length; k++) {
        point[features[k]] = this.midpoints[features[k]][idx[k]];
        size *= this.sizes[features[k]][idx[k]];
      }
      const [v, w] = this.marginalized(point);
      values[g] = v;
      weights[g] = w * size;
      // odometer over the grid, the last feature fastest (itertools.product's order)
      for (let k = features.length - 1; k >= 0; k--) {
        if (++idx[k] < dims[k]) break;
        idx[k] = 0;
      }
    }
    return Math.max(0, weightedVariance(values, weights));
  }

  /** Mean prediction at `point` (NaN = averaged out) and its weight, as Optuna's _get_marginalized_statistics. */
  private marginalized(point: Float64Array): [number, number] {
    const { tree, p, bounds } = this;
    const activeFeatures: number[] = [];
    for (let f = 0; f < p; f++) if (!Number.isNaN(point[f])) activeFeatures.push(f);
    let sum = 0,
      wsum = 0;
    // stack of (node, lo/hi of the rated features)
    const stack: { node: number; lo: number[]; hi: number[] }[] = [
      { node: 0, lo: activeFeatures.map((f) => bounds[f][0]), hi: activeFeatures.map((f) => bounds[f][1]) },
    ];
    while (stack.length > 0) {
      const { node, lo, hi } = stack.pop() as { node: number; lo: number[]; hi: number[] };
      const f = tree.feature[node];
      if (f >= 0) {
        const k = activeFeatures.indexOf(f);
        if (k >= 0) {
          const goLeft = point[f] <= this.thr[node];
          const lo2 = lo.slice(),
            hi2 = hi.slice();
          if (goLeft) hi2[k] = this.thr[node];
          else lo2[k] = this.thr[node];
          stack.push({ node: goLeft ? tree.left[node] : tree.right[node], lo: lo2, hi: hi2 });
          continue;
        }
        if (activeFeatures.some((g) => this.active[node * p + g])) {
          stack.push({ node: tree.left[node], lo, hi });
          stack.push({ node: tree.right[node], lo, hi });
          continue;
        }
      }
      let card = 1;
      for (let k = 0; k < lo.length; k++) card *= hi[k] - lo[k];
      const w = this.statWeight[node] / card;
      sum += w * this.statValue[node];
      wsum += w;
    }
    return [sum / wsum, wsum];
  }
}

function clamp(v: number, [lo, hi]: readonly [number, number]): number {
  return Math.min(Math.max(v, lo), hi);
}
