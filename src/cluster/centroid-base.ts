/**
 * What KMeans and MiniBatchKMeans share once fitted: centres, the training labels and inertia,
 * and the methods that read them (predict, transform, score) on the kmeans kernels.
 */
import { ParamError } from '../core/errors.js';
import { type CallOptions, Estimator, SIGNAL_ONLY, type WeightedFitOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { readMatrix } from '../core/read-matrix.js';
import type { BackendChoice } from '../backend/contract/names.js';
import type { KmeansKernels } from '../backend/contract/kmeans.js';
import { resolveKernels } from '../backend/select.js';
import { readSampleWeight } from '../models/common/targets.js';
import { isCentres, type KMeansInit } from './kmeans-params.js';

export interface CentroidState {
  /** nClusters × features, row-major. */
  centers: Float64Array;
  k: number;
  p: number;
  labels: Int32Array;
  inertia: number;
  nIter: number;
}

/** Fit options of the k-means family: row weights and a signal. */
export type KMeansFitOptions = WeightedFitOptions;

export abstract class CentroidClusterer<P extends { nClusters: number; backend: BackendChoice | undefined }> extends Estimator<P> {
  protected state: CentroidState | undefined;

  protected get fittedState(): CentroidState {
    return this.fitted(this.state);
  }

  /** The centres, nClusters × features. */
  get clusterCenters(): Matrix<Float64Array> {
    const s = this.fittedState;
    return new Matrix(Float64Array.from(s.centers), s.k, s.p);
  }

  /** The cluster of each training row. */
  get labels(): Int32Array {
    return Int32Array.from(this.fittedState.labels);
  }

  /** Sum of (weighted) squared distances of the training rows to their centres. */
  get inertia(): number {
    return this.fittedState.inertia;
  }

  get nIter(): number {
    return this.fittedState.nIter;
  }

  get nFeaturesIn(): number {
    return this.fittedState.p;
  }

  protected kernels(work: number): Promise<KmeansKernels> {
    return resolveKernels('kmeans', this.params.backend, work, this.constructor.name).then((r) => r.kernels);
  }

  /** X and weights checked for fit: non-empty, finite, at least nClusters rows. */
  protected readFit(X: MatrixLike, opts: KMeansFitOptions, method = 'fit'): { X: Matrix; w: Float64Array | null } {
    const name = `${this.constructor.name}.${method}`;
    const Xm = readMatrix(X, `${name}: X`);
    const w = readSampleWeight(opts.sampleWeight, Xm.rows, `${name}: sampleWeight`);
    return { X: Xm, w };
  }

  protected checkClusters(rows: number, method = 'fit'): void {
    const k = this.params.nClusters;
    if (k > rows) {
      throw new ParamError(`${this.constructor.name}.${method}: nClusters = ${k} but X has only ${rows} row(s); lower nClusters or pass more rows`);
    }
  }

  /** Given initial centres, checked against X's shape. */
  protected givenCentres(init: KMeansInit, p: number): Float64Array | null {
    if (!isCentres(init)) return null;
    const k = this.params.nClusters;
    if (init.length !== k || init[0].length !== p) {
      throw new ParamError(`${this.constructor.name}: init has ${init.length} × ${init[0].length} centres; it needs nClusters × features = ${k} × ${p}`);
    }
    return Float64Array.from(init.flat());
  }

  private readQueries(X: MatrixLike, method: string): Matrix {
    return readMatrix(X, `${this.constructor.name}.${method}: X`, { features: this.fittedState.p });
  }

  /** The nearest centre of each row. */
  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Int32Array> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    const s = this.fittedState;
    return this.reading(opts.signal, async () => {
      const Q = this.readQueries(X, 'predict');
      const kern = await this.kernels(Q.rows * s.k * s.p);
      return (await kern.assign({ x: Q.data, n: Q.rows, d: s.p, k: s.k, weights: null, centers: s.centers, accumulate: false })).labels;
    });
  }

  /** Euclidean distance of each row to every centre (rows × nClusters). */
  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    const s = this.fittedState;
    return this.reading(opts.signal, async () => {
      const Q = this.readQueries(X, 'transform');
      const kern = await this.kernels(Q.rows * s.k * s.p);
      const d2 = await kern.distances(Q.data, Q.rows, s.p, s.centers, s.k);
      for (let i = 0; i < d2.length; i++) d2[i] = Math.sqrt(d2[i]);
      return new Matrix(d2, Q.rows, s.k);
    });
  }

  /** Minus the (weighted) inertia of X on the fitted centres (higher is better, scikit-learn's score). */
  async score(X: MatrixLike, _y?: unknown, opts: KMeansFitOptions = {}): Promise<number> {
    this.callOptions('score', opts, ['sampleWeight', 'signal']);
    const s = this.fittedState;
    return this.reading(opts.signal, async () => {
      const Q = this.readQueries(X, 'score');
      const w = readSampleWeight(opts.sampleWeight, Q.rows, `${this.constructor.name}.score: sampleWeight`);
      const kern = await this.kernels(Q.rows * s.k * s.p);
      return -(await kern.assign({ x: Q.data, n: Q.rows, d: s.p, k: s.k, weights: w, centers: s.centers, accumulate: false })).inertia;
    });
  }

  abstract fit(X: MatrixLike, y?: unknown, opts?: KMeansFitOptions): Promise<this>;

  /** fit, then the training labels. */
  async fitPredict(X: MatrixLike, y?: unknown, opts: KMeansFitOptions = {}): Promise<Int32Array> {
    await this.fit(X, y, opts);
    return this.labels;
  }

  /** fit, then transform of the same rows. */
  async fitTransform(X: MatrixLike, y?: unknown, opts: KMeansFitOptions = {}): Promise<Matrix<Float64Array>> {
    await this.fit(X, y, opts);
    return this.transform(X, opts.signal ? { signal: opts.signal } : {});
  }
}

/** scikit-learn's tolerance: tol × the mean over features of the (unweighted) column variances. */
export function scaledTol(X: Matrix, tol: number): number {
  if (tol === 0) return 0;
  const { rows: n, cols: p, data } = X;
  let total = 0;
  for (let f = 0; f < p; f++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * p + f];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (data[i * p + f] - mean) ** 2;
    total += v / n;
  }
  return (total / p) * tol;
}
