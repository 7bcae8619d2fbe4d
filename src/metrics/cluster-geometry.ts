/**
 * Clustering metrics on the data itself (scikit-learn 1.2's silhouette_samples / silhouette_score,
 * davies_bouldin_score, calinski_harabasz_score), Euclidean. Silhouettes need every pairwise
 * distance: they are computed in row chunks (at most ~32 MB of distances at a time) by the kmeans
 * family's exact f64 distance kernel, and reduced per cluster.
 */
import { ParamError } from '../core/errors.js';
import type { Label } from '../core/labels.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { Rng } from '../core/prng.js';
import { readMatrix } from '../core/read-matrix.js';
import type { BackendChoice } from '../backend/contract/names.js';
import { resolveKernels } from '../backend/select.js';
import { labels as readLabels, sameLength } from './check.js';

const CHUNK_BYTES = 32 << 20;

/** X and labels checked together; 2 <= clusters <= rows − 1 as scikit-learn requires. */
function prepare(X: MatrixLike, y: ArrayLike<Label>, fn: string): { X: Matrix; codes: Int32Array; k: number } {
  const Xm = readMatrix(X, `${fn}: X`);
  const { classes, codes } = readLabels(y, 'labels', fn);
  sameLength(Xm.rows, codes.length, 'X', 'labels', fn);
  const k = classes.length;
  if (k < 2 || k > Xm.rows - 1) {
    throw new ParamError(`${fn}: labels has ${k} distinct value(s) for ${Xm.rows} rows; it needs between 2 and rows − 1 (${Xm.rows - 1}) clusters`);
  }
  return { X: Xm, codes, k };
}

export interface SilhouetteOptions {
  /** Backend for the distance kernel; undefined uses the process-wide choice. */
  backend?: BackendChoice;
}

async function silhouettes(X: Matrix, codes: Int32Array, k: number, backend: BackendChoice | undefined, fn: string): Promise<Float64Array> {
  const n = X.rows,
    d = X.cols;
  const sizes = new Float64Array(k);
  for (const c of codes) sizes[c]++;
  const base = Float64Array.from(X.data);
  const { kernels } = await resolveKernels('kmeans', backend, n * n * d, fn);
  const out = new Float64Array(n);
  const chunk = Math.max(1, Math.floor(CHUNK_BYTES / (8 * n)));
  const sums = new Float64Array(k);
  for (let r0 = 0; r0 < n; r0 += chunk) {
    const rows = Math.min(chunk, n - r0);
    const dist = await kernels.distances(X.data.subarray(r0 * d, (r0 + rows) * d), rows, d, base, n);
    for (let i = 0; i < rows; i++) {
      sums.fill(0);
      const off = i * n;
      for (let j = 0; j < n; j++) sums[codes[j]] += Math.sqrt(dist[off + j]);
      const own = codes[r0 + i];
      if (sizes[own] <= 1) continue; // a singleton's silhouette is 0
      const a = sums[own] / (sizes[own] - 1);
      let b = Infinity;
      for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
      const s = (b - a) / Math.max(a, b);
      out[r0 + i] = Number.isFinite(s) ? s : 0; // 0/0 (coincident points) is 0, as scikit-learn's nan_to_num
    }
  }
  return out;
}

/** The silhouette coefficient of each sample: (b − a) / max(a, b), in [−1, 1]; 0 for a sample alone in its cluster. */
export async function silhouetteSamples(X: MatrixLike, labels: ArrayLike<Label>, opts: SilhouetteOptions = {}): Promise<Float64Array> {
  const fn = 'silhouetteSamples';
  const { X: Xm, codes, k } = prepare(X, labels, fn);
  return silhouettes(Xm, codes, k, opts.backend, fn);
}

export interface SilhouetteScoreOptions extends SilhouetteOptions {
  /** Score a random subset of this many rows (>= 2); undefined: all rows. */
  sampleSize?: number;
  /** Seed of the subset. Default 0. */
  randomState?: number;
}

/** The mean silhouette coefficient over all samples (or a random subset of sampleSize rows). */
export async function silhouetteScore(X: MatrixLike, labels: ArrayLike<Label>, opts: SilhouetteScoreOptions = {}): Promise<number> {
  const fn = 'silhouetteScore';
  let { X: Xm, codes, k } = prepare(X, labels, fn);
  if (opts.sampleSize !== undefined) {
    const m = opts.sampleSize;
    if (!Number.isInteger(m) || m < 2 || m > Xm.rows) throw new ParamError(`${fn}: sampleSize must be an integer in [2, ${Xm.rows}], got ${m}`);
    const rng = new Rng(opts.randomState ?? 0);
    const perm = Int32Array.from({ length: Xm.rows }, (_, i) => i);
    for (let i = 0; i < m; i++) {
      const j = i + rng.int(Xm.rows - i);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const d = Xm.cols;
    const data = new Float64Array(m * d);
    for (let t = 0; t < m; t++) data.set(Xm.data.subarray(perm[t] * d, perm[t] * d + d), t * d);
    ({
      X: Xm,
      codes,
      k,
    } = prepare(
      new Matrix(data, m, d),
      Array.from(perm.subarray(0, m), (r) => codes[r]),
      fn,
    ));
  }
  const s = await silhouettes(Xm, codes, k, opts.backend, fn);
  return s.reduce((a, b) => a + b, 0) / s.length;
}

/** Per-cluster centroids (k × d) and sizes. */
function centroids(X: Matrix, codes: Int32Array, k: number): { c: Float64Array; sizes: Float64Array } {
  const d = X.cols;
  const c = new Float64Array(k * d),
    sizes = new Float64Array(k);
  for (let i = 0; i < X.rows; i++) {
    sizes[codes[i]]++;
    for (let f = 0; f < d; f++) c[codes[i] * d + f] += X.data[i * d + f];
  }
  for (let j = 0; j < k; j++) for (let f = 0; f < d; f++) c[j * d + f] /= sizes[j];
  return { c, sizes };
}

/** Ratio of between-cluster to within-cluster dispersion, each per degree of freedom (higher is better); 1 when within is 0. */
export function calinskiHarabaszScore(X: MatrixLike, labels: ArrayLike<Label>): number {
  const { X: Xm, codes, k } = prepare(X, labels, 'calinskiHarabaszScore');
  const { rows: n, cols: d, data } = Xm;
  const { c, sizes } = centroids(Xm, codes, k);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) mean[f] += data[i * d + f] / n;
  let extra = 0,
    intra = 0;
  for (let j = 0; j < k; j++) for (let f = 0; f < d; f++) extra += sizes[j] * (c[j * d + f] - mean[f]) ** 2;
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) intra += (data[i * d + f] - c[codes[i] * d + f]) ** 2;
  return intra === 0 ? 1 : (extra * (n - k)) / (intra * (k - 1));
}

const allClose0 = (v: ArrayLike<number>) => Array.prototype.every.call(v, (x: number) => Math.abs(x) <= 1e-8);

/** Mean over clusters of the worst (S_i + S_j) / distance(c_i, c_j) (lower is better; 0 is the minimum). */
export function daviesBouldinScore(X: MatrixLike, labels: ArrayLike<Label>): number {
  const { X: Xm, codes, k } = prepare(X, labels, 'daviesBouldinScore');
  const { rows: n, cols: d, data } = Xm;
  const { c, sizes } = centroids(Xm, codes, k);
  const intra = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = 0; f < d; f++) s += (data[i * d + f] - c[codes[i] * d + f]) ** 2;
    intra[codes[i]] += Math.sqrt(s) / sizes[codes[i]];
  }
  const between = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += (c[a * d + f] - c[b * d + f]) ** 2;
      between[a * k + b] = Math.sqrt(s);
    }
  if (allClose0(intra) || allClose0(between)) return 0;
  let total = 0;
  for (let a = 0; a < k; a++) {
    let worst = -Infinity;
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      const dist = between[a * k + b] === 0 ? Infinity : between[a * k + b];
      worst = Math.max(worst, (intra[a] + intra[b]) / dist);
    }
    total += worst;
  }
  return total / k;
}
