/**
 * scikit-learn's mutual_info_classif / mutual_info_regression: the k-nearest-neighbour estimators
 * of mutual information — Kraskov et al. (2004) between two continuous variables, Ross (2014)
 * between a continuous and a discrete one — and the plug-in estimate between two discrete ones.
 * As scikit-learn: continuous columns are scaled to unit standard deviation and get seeded noise
 * of 1e-10 · max(1, mean |x|) to break ties; negative estimates become 0.
 *
 * The neighbour searches are exact and run on sorted values: in one dimension (the continuous
 * column of Ross's estimator, the marginal counts of Kraskov's) a k-th neighbour or a count
 * within a radius is a walk or a binary search over the sorted column; Kraskov's joint search is
 * a Chebyshev (max-norm) k-NN in two dimensions, swept outwards from each point in x order and
 * stopped once |dx| passes the k-th best distance. Chebyshev is not a metric of kiln's knn kernel
 * family, and these sweeps are O(n log n) on typical data.
 */
import { ParamError } from '../core/errors.js';
import { encodeLabels, type Label } from '../core/labels.js';
import type { MatrixLike } from '../core/matrix.js';
import { searchSorted } from '../core/numeric.js';
import { Rng } from '../core/prng.js';
import { readMatrix } from '../core/read-matrix.js';
import { checkOptions } from '../core/validate.js';

export interface MutualInfoScoreOptions {
  /** Which features are discrete: 'auto' (none, for dense X), true / false for all, indices, or a boolean mask. Default: 'auto'. */
  discreteFeatures?: 'auto' | boolean | readonly number[] | readonly boolean[];
  /** Neighbours of the k-NN estimators (more: less variance, more bias). Default: 3. */
  nNeighbors?: number;
  /** Seed of the tie-breaking noise. Default: 0. */
  randomState?: number;
}

/** Euler–Mascheroni constant: ψ(1) = −γ. */
const EULER = 0.5772156649015329;
/** ψ(n) for a whole n >= 1: −γ + Σ_{i<n} 1/i (exact where the asymptotic series is not). */
const psiCache: number[] = [Number.NaN, -EULER];
function digamma(n: number): number {
  for (let i = psiCache.length; i <= n; i++) psiCache.push(psiCache[i - 1] + 1 / (i - 1));
  return psiCache[n];
}

/** Indices sorted by value (ties by index), and each index's position. */
function sortOrder(v: Float64Array): { order: Int32Array; sorted: Float64Array } {
  const order = Int32Array.from(v, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
  return { order, sorted: Float64Array.from(order, (i) => v[i]) };
}

/**
 * Points of sorted `s` within distance r of x, the point itself included. The test is exact, as
 * scikit-learn's KDTree makes it: |s − x| <= r (Chebyshev) or (s − x)² <= r² (euclidean), never
 * x ± r, whose rounding can admit a point at exactly the k-th distance.
 */
function countWithin(s: Float64Array, x: number, r: number, squared: boolean): number {
  const r2 = r * r;
  const inside = (v: number) => (squared ? (v - x) * (v - x) <= r2 : Math.abs(v - x) <= r);
  let lo = searchSorted(s, x - r, 'left'),
    hi = searchSorted(s, x + r, 'right');
  while (lo > 0 && inside(s[lo - 1])) lo--;
  while (lo < hi && !inside(s[lo])) lo++;
  while (hi < s.length && inside(s[hi])) hi++;
  while (hi > lo && !inside(s[hi - 1])) hi--;
  return hi - lo;
}

/** The largest double below r (numpy.nextafter(r, 0) for r > 0). */
function below(r: number): number {
  if (r <= 0) return r;
  const buf = new Float64Array([r]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0] -= 1n;
  return buf[0];
}

/** Distance from each point of a 1-D sample to its k-th nearest other point. */
function kthDistance1d(v: Float64Array, k: number): Float64Array {
  const { order, sorted } = sortOrder(v);
  const n = v.length;
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    let l = p - 1,
      r = p + 1,
      d = 0;
    for (let t = 0; t < k; t++) {
      const dl = l >= 0 ? sorted[p] - sorted[l] : Infinity,
        dr = r < n ? sorted[r] - sorted[p] : Infinity;
      if (dl <= dr) {
        d = dl;
        l--;
      } else {
        d = dr;
        r++;
      }
    }
    out[order[p]] = d;
  }
  return out;
}

/** Kraskov's estimator between two continuous samples. */
function miContinuous(x: Float64Array, y: Float64Array, k: number): number {
  const n = x.length;
  const { order, sorted } = sortOrder(x);
  const radius = new Float64Array(n);
  const best = new Float64Array(k);
  for (let p = 0; p < n; p++) {
    const i = order[p];
    best.fill(Infinity); // the k smallest Chebyshev distances so far, ascending
    const offer = (j: number) => {
      const d = Math.max(Math.abs(x[j] - x[i]), Math.abs(y[j] - y[i]));
      if (d >= best[k - 1]) return;
      let at = k - 1;
      while (at > 0 && best[at - 1] > d) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = d;
    };
    for (let l = p - 1; l >= 0 && sorted[p] - sorted[l] < best[k - 1]; l--) offer(order[l]);
    for (let r = p + 1; r < n && sorted[r] - sorted[p] < best[k - 1]; r++) offer(order[r]);
    radius[i] = below(best[k - 1]);
  }
  const ys = sortOrder(y).sorted;
  let sx = 0,
    sy = 0;
  for (let i = 0; i < n; i++) {
    sx += digamma(countWithin(sorted, x[i], radius[i], false)); // ψ(nx + 1): the count includes the point itself
    sy += digamma(countWithin(ys, y[i], radius[i], false));
  }
  return Math.max(0, digamma(n) + digamma(k) - sx / n - sy / n);
}

/** Ross's estimator between a continuous sample c and discrete codes d. */
function miMixed(c: Float64Array, d: Int32Array, k: number): number {
  const groups = new Map<number, number[]>();
  d.forEach((g, i) => {
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(i);
  });
  const keep: number[] = [];
  const radius = new Float64Array(c.length),
    kAll = new Float64Array(c.length),
    count = new Float64Array(c.length);
  for (const rows of groups.values()) {
    if (rows.length < 2) continue; // a label seen once has no neighbour: left out, as scikit-learn
    const kk = Math.min(k, rows.length - 1);
    const dist = kthDistance1d(
      Float64Array.from(rows, (i) => c[i]),
      kk,
    );
    rows.forEach((i, t) => {
      radius[i] = below(dist[t]);
      kAll[i] = kk;
      count[i] = rows.length;
      keep.push(i);
    });
  }
  if (keep.length === 0) return 0;
  keep.sort((a, b) => a - b);
  const kept = Float64Array.from(keep, (i) => c[i]);
  const sorted = Float64Array.from(kept).sort();
  let sk = 0,
    sl = 0,
    sm = 0;
  for (const i of keep) {
    sk += digamma(kAll[i]);
    sl += digamma(count[i]);
    sm += digamma(countWithin(sorted, c[i], radius[i], true));
  }
  const m = keep.length;
  return Math.max(0, digamma(m) + sk / m - sl / m - sm / m);
}

/** Plug-in mutual information of two discrete samples (scikit-learn's mutual_info_score), in nats. */
function miDiscrete(a: Int32Array, b: Int32Array): number {
  const n = a.length;
  const joint = new Map<string, number>(),
    ca = new Map<number, number>(),
    cb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1);
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1);
  }
  if (ca.size === 1 || cb.size === 1) return 0;
  let mi = 0;
  for (const [key, nij] of joint) {
    const [x, y] = key.split(',').map(Number);
    mi += (nij / n) * Math.log((nij * n) / (ca.get(x)! * cb.get(y)!));
  }
  return Math.max(0, mi);
}

function discreteMask(opt: MutualInfoScoreOptions['discreteFeatures'], p: number, fn: string): boolean[] {
  if (opt === undefined || opt === 'auto' || opt === false) return new Array(p).fill(false);
  if (opt === true) return new Array(p).fill(true);
  if (Array.isArray(opt)) {
    if (opt.every((v) => typeof v === 'boolean')) {
      if (opt.length !== p) throw new ParamError(`${fn}: a discreteFeatures mask needs one boolean per feature (${p}), got ${opt.length}`);
      return [...(opt as boolean[])];
    }
    const mask = new Array(p).fill(false);
    for (const j of opt as number[]) {
      if (!Number.isInteger(j) || j < 0 || j >= p) throw new ParamError(`${fn}: discreteFeatures index ${String(j)} is not a feature index below ${p}`);
      mask[j] = true;
    }
    return mask;
  }
  throw new ParamError(`${fn}: discreteFeatures must be 'auto', a boolean, feature indices or a boolean mask`);
}

function codesOf(v: ArrayLike<number>): Int32Array {
  return encodeLabels(Array.from(v), 'discrete feature').codes;
}

function estimate(X: MatrixLike, y: ArrayLike<Label>, discreteTarget: boolean, opts: MutualInfoScoreOptions, fn: string): Float64Array {
  checkOptions(opts, ['discreteFeatures', 'nNeighbors', 'randomState'], fn);
  const m = readMatrix(X, `${fn}: X`);
  const n = m.rows,
    p = m.cols;
  if (y?.length !== n) throw new ParamError(`${fn}: y has ${y?.length} values but X has ${n} rows; pass one per row`);
  const k = opts.nNeighbors ?? 3;
  if (!Number.isInteger(k) || k < 1) throw new ParamError(`${fn}: nNeighbors must be an integer >= 1, got ${String(k)}`);
  const seed = opts.randomState ?? 0;
  if (!Number.isInteger(seed)) throw new ParamError(`${fn}: randomState must be an integer, got ${String(seed)}`);
  const mask = discreteMask(opts.discreteFeatures, p, fn);
  const rng = new Rng(seed);
  const cols: Float64Array[] = [];
  for (let j = 0; j < p; j++) cols.push(Float64Array.from({ length: n }, (_, i) => m.data[i * p + j]));
  const continuous = mask.map((d, j) => (d ? -1 : j)).filter((j) => j >= 0);
  if (continuous.length && k >= n) throw new ParamError(`${fn}: nNeighbors=${k} needs more than ${k} rows, got ${n}`);
  const scaleAndMeans = continuous.map((j) => {
    const c = cols[j];
    let mean = 0;
    for (const v of c) mean += v;
    mean /= n;
    let varc = 0;
    for (const v of c) varc += (v - mean) ** 2;
    const sd = Math.sqrt(varc / n) || 1; // numpy.std (ddof 0); a constant column is left unscaled
    let absMean = 0;
    for (let i = 0; i < n; i++) {
      c[i] /= sd;
      absMean += Math.abs(c[i]);
    }
    return Math.max(1, absMean / n);
  });
  // Noise row by row over the continuous columns, as scikit-learn draws its (n, continuous) block.
  for (let i = 0; i < n; i++) continuous.forEach((j, t) => (cols[j][i] += 1e-10 * scaleAndMeans[t] * rng.normal()));
  let yCont: Float64Array | undefined, yCodes: Int32Array | undefined;
  if (discreteTarget) yCodes = encodeLabels(y, `${fn}: y`).codes;
  else {
    yCont = Float64Array.from(y as ArrayLike<number>, (v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParamError(`${fn}: y[${i}] is ${String(v)}; y must hold finite numbers`);
      return v;
    });
    let mean = 0;
    for (const v of yCont) mean += v;
    mean /= n;
    let varc = 0;
    for (const v of yCont) varc += (v - mean) ** 2;
    const sd = Math.sqrt(varc / n) || 1;
    let absMean = 0;
    for (let i = 0; i < n; i++) {
      yCont[i] /= sd;
      absMean += Math.abs(yCont[i]);
    }
    const scale = 1e-10 * Math.max(1, absMean / n);
    for (let i = 0; i < n; i++) yCont[i] += scale * rng.normal();
  }
  return Float64Array.from({ length: p }, (_, j) => {
    if (mask[j] && yCodes) return miDiscrete(codesOf(cols[j]), yCodes);
    if (mask[j]) return miMixed(yCont!, codesOf(cols[j]), k);
    if (yCodes) return miMixed(cols[j], yCodes, k);
    return miContinuous(cols[j], yCont!, k);
  });
}

/** Mutual information (nats) between each feature and class labels (scikit-learn's mutual_info_classif). */
export function mutualInfoClassif(X: MatrixLike, y: ArrayLike<Label>, opts: MutualInfoScoreOptions = {}): Float64Array {
  return estimate(X, y, true, opts, 'mutualInfoClassif');
}

/** Mutual information (nats) between each feature and a continuous target (scikit-learn's mutual_info_regression). */
export function mutualInfoRegression(X: MatrixLike, y: ArrayLike<number>, opts: MutualInfoScoreOptions = {}): Float64Array {
  return estimate(X, y, false, opts, 'mutualInfoRegression');
}
