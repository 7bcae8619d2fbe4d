/**
 * Gaussian mixture by EM (scikit-learn 1.2's GaussianMixture): covariance 'full', 'tied', 'diag'
 * or 'spherical'; initial responsibilities from KMeans or at random, or given weights, means and
 * precisions; nInit runs, the highest lower bound (mean log-likelihood) kept. The EM steps are in
 * gaussian-mixture-em.ts.
 */
import { ParamError, ShapeError } from '../core/errors.js';
import { type CallOptions, Estimator, SIGNAL_ONLY } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { custom, int, num, oneOf, optional, type ParamSpecs } from '../core/params.js';
import { Rng } from '../core/prng.js';
import { readMatrix } from '../core/read-matrix.js';
import { cholesky } from '../models/linear/dense.js';
import {
  type CovarianceType,
  covLength,
  EmScratch,
  estimateParameters,
  type MixtureState,
  normaliseLogProb,
  normaliseToResp,
  parameterCount,
  precisionCholesky,
  precisionsFromCholesky,
  weightedLogProb,
} from './gaussian-mixture-em.js';
import { KMeans } from './kmeans.js';
import { cpuDgemm } from '../ops/dgemm.js';

export type { CovarianceType } from './gaussian-mixture-em.js';

/** Given precisions: per type, 'full' k matrices p × p, 'tied' one p × p matrix, 'diag' k rows of p, 'spherical' k numbers. */
export type PrecisionsInit = number[] | number[][] | number[][][];

export interface GaussianMixtureParams {
  /** Mixture components, an integer >= 1 and at most the rows fitted. Default: 1. */
  nComponents: number;
  /** Each component's covariance: 'full' (its own matrix), 'tied' (one shared matrix), 'diag' (its own diagonal), 'spherical' (its own variance). Default: 'full'. */
  covarianceType: CovarianceType;
  /** Convergence: stop when the lower bound (mean log-likelihood) changes by less than tol, >= 0. Default: 0.001. */
  tol: number;
  /** Added to the covariances' diagonal (keeps them positive definite), >= 0. Default: 1e-6. */
  regCovar: number;
  /** EM iterations per run at most, an integer >= 1. Default: 100. */
  maxIter: number;
  /** Runs, the best lower bound kept, an integer >= 1. Default: 1. */
  nInit: number;
  /** Initial responsibilities: 'kmeans' (a KMeans clustering's labels) or 'random'. Default: 'kmeans'. */
  initParams: 'kmeans' | 'random';
  /** Initial weights (nComponents numbers in [0, 1] summing to 1); undefined: from initParams. Default: undefined. */
  weightsInit: number[] | undefined;
  /** Initial means (nComponents rows of the input's width); undefined: from initParams. Default: undefined. */
  meansInit: number[][] | undefined;
  /** Initial precisions (inverse covariances, shaped by covarianceType); undefined: from initParams. Default: undefined. */
  precisionsInit: PrecisionsInit | undefined;
  /** Seed of the initialisation and of sample, an integer in [0, 2^32). Default: 0. */
  randomState: number;
}

const DEFAULTS: GaussianMixtureParams = {
  nComponents: 1,
  covarianceType: 'full',
  tol: 1e-3,
  regCovar: 1e-6,
  maxIter: 100,
  nInit: 1,
  initParams: 'kmeans',
  weightsInit: undefined,
  meansInit: undefined,
  precisionsInit: undefined,
  randomState: 0,
};

const finiteNested = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 && v.every(finiteNested) : typeof v === 'number' && Number.isFinite(v));
const SPECS: ParamSpecs<GaussianMixtureParams> = {
  nComponents: int({ min: 1 }),
  covarianceType: oneOf('full', 'tied', 'diag', 'spherical'),
  tol: num({ min: 0, finite: true }),
  regCovar: num({ min: 0, finite: true }),
  maxIter: int({ min: 1 }),
  nInit: int({ min: 1 }),
  initParams: oneOf('kmeans', 'random'),
  weightsInit: optional(
    custom<number[]>(
      'weights in [0, 1] summing to 1 (number[])',
      (v) => Array.isArray(v) && finiteNested(v) && v.every((w) => w >= 0 && w <= 1) && Math.abs(v.reduce((s, w) => s + w, 0) - 1) <= 1e-6,
      { probes: [[0.5, 0.6]] },
    ),
  ),
  meansInit: optional(
    custom<number[][]>(
      'means as rows of finite numbers (number[][])',
      (v) => Array.isArray(v) && finiteNested(v) && v.every((r) => Array.isArray(r) && r.length === (v[0] as unknown[]).length),
      { probes: [[[1], [1, 2]]] },
    ),
  ),
  precisionsInit: optional(custom<PrecisionsInit>('precisions as (nested arrays of) finite numbers', finiteNested, { probes: [[[NaN]]] })),
  randomState: int({ min: 0, max: 0xffffffff }),
};

interface Fitted extends MixtureState {
  type: CovarianceType;
  k: number;
  p: number;
  converged: boolean;
  nIter: number;
  lowerBound: number;
}

export class GaussianMixture extends Estimator<GaussianMixtureParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<GaussianMixtureParams> = {}) {
    super(DEFAULTS, params);
  }

  protected get paramSpecs(): ParamSpecs<GaussianMixtureParams> {
    return SPECS;
  }

  /** Mixing weights (nComponents). */
  get weights(): Float64Array {
    return Float64Array.from(this.fitted(this.state).weights);
  }

  /** Component means (nComponents × features). */
  get means(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.means), s.k, s.p);
  }

  /** Covariances, flat (C order) in the shape of covarianceType: full k × p × p, tied p × p, diag k × p, spherical k. */
  get covariances(): Float64Array {
    return Float64Array.from(this.fitted(this.state).covariances);
  }

  /** Precisions (inverse covariances), flat in the shape of covariances. */
  get precisions(): Float64Array {
    const s = this.fitted(this.state);
    return precisionsFromCholesky(s.precChol, s.type, s.k, s.p);
  }

  /** Cholesky factors of the precisions (precision = P Pᵀ), flat in the shape of covariances. */
  get precisionsCholesky(): Float64Array {
    return Float64Array.from(this.fitted(this.state).precChol);
  }

  /** Whether any run reached tol before maxIter (as scikit-learn's converged_). */
  get converged(): boolean {
    return this.fitted(this.state).converged;
  }

  /** EM iterations of the best run. */
  get nIter(): number {
    return this.fitted(this.state).nIter;
  }

  /** The best run's lower bound: the training rows' mean log-likelihood at its last E-step. */
  get lowerBound(): number {
    return this.fitted(this.state).lowerBound;
  }

  get nFeaturesIn(): number {
    return this.fitted(this.state).p;
  }

  /** Initial parameters of one run. */
  private async initialise(X: Float64Array, n: number, p: number, rng: Rng, run: number): Promise<MixtureState> {
    const P = this.params,
      k = P.nComponents,
      type = P.covarianceType;
    const resp = new Float64Array(n * k);
    const allGiven = P.weightsInit !== undefined && P.meansInit !== undefined && P.precisionsInit !== undefined;
    if (allGiven)
      resp.fill(1 / k); // every parameter given: the responsibilities' estimate is discarded (scikit-learn still computes it)
    else if (P.initParams === 'kmeans') {
      const km = await new KMeans({ nClusters: k, nInit: 1, randomState: (P.randomState + run) >>> 0 }).fit(new Matrix(X, n, p));
      const labels = km.labels;
      for (let i = 0; i < n; i++) resp[i * k + labels[i]] = 1;
    } else {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += resp[i * k + c] = rng.random();
        for (let c = 0; c < k; c++) resp[i * k + c] /= s;
      }
    }
    const est = estimateParameters(X, resp, n, p, k, type, P.regCovar, cpuDgemm(undefined, 'GaussianMixture.fit'));
    const weights = P.weightsInit ? Float64Array.from(P.weightsInit) : est.weights;
    const means = P.meansInit ? Float64Array.from(P.meansInit.flat()) : est.means;
    let precChol: Float64Array;
    if (P.precisionsInit === undefined) precChol = precisionCholesky(est.covariances, type, k, p);
    else {
      const prec = Float64Array.from((P.precisionsInit as unknown[]).flat(2) as number[]);
      if (type === 'full' || type === 'tied') {
        precChol = new Float64Array(prec.length);
        for (let c = 0; c < prec.length / (p * p); c++) {
          const L = cholesky(prec.subarray(c * p * p, (c + 1) * p * p), p);
          if (L === null) throw new ParamError(`GaussianMixture: precisionsInit ${type === 'full' ? `matrix ${c}` : ''} is not symmetric positive definite`);
          precChol.set(L, c * p * p);
        }
      } else precChol = prec.map(Math.sqrt);
    }
    return { weights, means, covariances: est.covariances, precChol };
  }

  /** Shapes of the given initial parameters against the data. */
  private checkInits(p: number): void {
    const { weightsInit: w, meansInit: m, precisionsInit: prec, nComponents: k, covarianceType: type } = this.params;
    if (w && w.length !== k) throw new ShapeError(`GaussianMixture: weightsInit has ${w.length} weights but nComponents is ${k}`);
    if (m && (m.length !== k || m[0].length !== p))
      throw new ShapeError(`GaussianMixture: meansInit must be ${k} rows of ${p} features (nComponents × features of X), got ${m.length} × ${m[0].length}`);
    if (prec !== undefined) {
      const shape: number[] = type === 'full' ? [k, p, p] : type === 'tied' ? [p, p] : type === 'diag' ? [k, p] : [k];
      const got: number[] = [];
      for (let v: unknown = prec; Array.isArray(v); v = v[0]) got.push(v.length);
      const flat = (prec as unknown[]).flat(2) as number[];
      if (got.join() !== shape.join() || flat.length !== covLength(type, k, p)) {
        throw new ShapeError(`GaussianMixture: precisionsInit for covarianceType '${type}' must have shape [${shape.join(', ')}], got [${got.join(', ')}]`);
      }
      if ((type === 'diag' || type === 'spherical') && flat.some((v) => !(v > 0)))
        throw new ParamError(`GaussianMixture: precisionsInit for '${type}' must be positive`);
    }
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const Xm = readMatrix(X, 'GaussianMixture.fit: X');
      const { rows: n, cols: p } = Xm;
      const P = this.params,
        k = P.nComponents,
        type = P.covarianceType;
      if (n < 2) throw new ParamError('GaussianMixture.fit: X needs at least 2 rows');
      if (n < k) throw new ParamError(`GaussianMixture.fit: nComponents ${k} exceeds the ${n} rows of X; pass at most ${n}`);
      this.checkInits(p);
      const data = Float64Array.from(Xm.data);
      const rng = new Rng(P.randomState);
      const dgemm = cpuDgemm(undefined, 'GaussianMixture.fit');
      const scratch = new EmScratch();
      let best: Fitted | undefined;
      let converged = false;
      for (let run = 0; run < P.nInit; run++) {
        let m = await this.initialise(data, n, p, rng, run);
        let lower = -Infinity;
        let iter = 0;
        for (iter = 1; iter <= P.maxIter; iter++) {
          opts.signal?.throwIfAborted();
          const prev = lower;
          const logResp = weightedLogProb(data, n, p, m, type, dgemm, scratch);
          const lpn = normaliseToResp(logResp, n, k, scratch);
          let s = 0;
          for (let i = 0; i < n; i++) s += lpn[i];
          lower = s / n;
          const est = estimateParameters(data, logResp, n, p, k, type, P.regCovar, dgemm, scratch);
          m = { ...est, precChol: precisionCholesky(est.covariances, type, k, p) };
          if (Math.abs(lower - prev) < P.tol) {
            converged = true;
            break;
          }
        }
        if (!best || lower > best.lowerBound) best = { ...m, type, k, p, converged: false, nIter: Math.min(iter, P.maxIter), lowerBound: lower };
      }
      const b = best as Fitted;
      b.converged = converged;
      this.state = b;
    });
  }

  private logResp(X: MatrixLike, method: string): { wlp: Float64Array; lpn: Float64Array; n: number; s: Fitted } {
    const s = this.fitted(this.state);
    const Q = readMatrix(X, `GaussianMixture.${method}: X`, { features: s.p });
    const wlp = weightedLogProb(Q.data, Q.rows, s.p, s, s.type, cpuDgemm(undefined, `GaussianMixture.${method}`));
    const lpn = normaliseLogProb(wlp, Q.rows, s.k);
    return { wlp, lpn, n: Q.rows, s };
  }

  /** Log-likelihood of each row under the mixture. */
  async scoreSamples(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('scoreSamples', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => this.logResp(X, 'scoreSamples').lpn);
  }

  /** Mean log-likelihood of the rows. */
  async score(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<number> {
    const l = await this.scoreSamples(X, opts);
    let s = 0;
    for (let i = 0; i < l.length; i++) s += l[i];
    return s / l.length;
  }

  /** Posterior probability of each component per row (rows × nComponents). */
  async predictProba(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { wlp, n, s } = this.logResp(X, 'predictProba');
      return new Matrix(
        wlp.map((v) => Math.exp(v)),
        n,
        s.k,
      );
    });
  }

  /** The most probable component of each row. */
  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Int32Array> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { wlp, n, s } = this.logResp(X, 'predict');
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        let bestC = 0;
        for (let c = 1; c < s.k; c++) if (wlp[i * s.k + c] > wlp[i * s.k + bestC]) bestC = c;
        out[i] = bestC;
      }
      return out;
    });
  }

  /** fit, then predict on the same rows. */
  async fitPredict(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<Int32Array> {
    await this.fit(X, y, opts);
    return this.predict(X, opts);
  }

  /** Bayesian information criterion on X (lower is better): −2 n score + parameters × ln n. */
  async bic(X: MatrixLike): Promise<number> {
    const s = this.fitted(this.state);
    const l = await this.scoreSamples(X);
    return -2 * (await this.score(X)) * l.length + parameterCount(s.type, s.k, s.p) * Math.log(l.length);
  }

  /** Akaike information criterion on X (lower is better): −2 n score + 2 parameters. */
  async aic(X: MatrixLike): Promise<number> {
    const s = this.fitted(this.state);
    const l = await this.scoreSamples(X);
    return -2 * (await this.score(X)) * l.length + 2 * parameterCount(s.type, s.k, s.p);
  }

  /**
   * nSamples rows drawn from the mixture (seeded by randomState), grouped by component as
   * scikit-learn's are, with the component of each.
   */
  sample(nSamples = 1): { X: Matrix<Float64Array>; y: Int32Array } {
    const s = this.fitted(this.state);
    if (!Number.isInteger(nSamples) || nSamples < 1) throw new ParamError(`GaussianMixture.sample: nSamples must be an integer >= 1, got ${nSamples}`);
    const rng = new Rng(this.params.randomState);
    const { k, p, type, covariances: cov } = s;
    const counts = new Int32Array(k);
    for (let i = 0; i < nSamples; i++) {
      let u = rng.random(),
        c = 0;
      while (c < k - 1 && u >= s.weights[c]) u -= s.weights[c++];
      counts[c]++;
    }
    const X = new Float64Array(nSamples * p);
    const y = new Int32Array(nSamples);
    const z = new Float64Array(p);
    let row = 0;
    for (let c = 0; c < k; c++) {
      const L = type === 'full' || type === 'tied' ? cholesky(cov.subarray(type === 'full' ? c * p * p : 0, (type === 'full' ? c + 1 : 1) * p * p), p) : null;
      for (let t = 0; t < counts[c]; t++, row++) {
        y[row] = c;
        for (let j = 0; j < p; j++) z[j] = rng.normal();
        for (let a = 0; a < p; a++) {
          let v: number;
          if (L) {
            v = 0;
            for (let b = 0; b <= a; b++) v += (L[a * p + b] ?? 0) * z[b];
          } else v = z[a] * Math.sqrt(type === 'diag' ? cov[c * p + a] : cov[c]);
          X[row * p + a] = s.means[c * p + a] + v;
        }
      }
    }
    return { X: new Matrix(X, nSamples, p), y };
  }
}
