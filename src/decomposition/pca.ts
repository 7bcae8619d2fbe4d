/**
 * Principal component analysis with scikit-learn 1.2's parameters and results. 'full' takes
 * the eigen-decomposition of the centred Gram matrix (the GEMM, then the linalg family's
 * symmetric eigensolver): the same components as an SVD of the data, at n·p² + p³ instead of
 * n·p²·const with a tall SVD. 'randomized' runs the randomized subspace iteration
 * (svd.ts). Signs follow scikit-learn's svd_flip.
 */
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { KilnError, ParamError, ShapeError } from '../core/errors.js';
import type { Matrix, MatrixLike } from '../core/matrix.js';
import { int, nullable, num, oneOf, optional, union, bool, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import type { BackendChoice } from '../backend/backend.js';
import { BACKEND_CHOICE } from '../backend/contract/names.js';
import { columnStats } from '../ops/column-stats.js';
import { centredGram, passOperator, project } from './gram.js';
import { decompKernels } from './kernels.js';
import { LinearProjection, refuseSparse, type ProjectionState } from './projection.js';
import { autoPowerIterations, exactSvd, flipSigns, gramMatrixOperator, randomizedSvd } from './svd.js';

export interface PCAParams {
  /**
   * Components to keep: an integer from 1 to min(nSamples, nFeatures), a fraction in (0, 1)
   * (keep the fewest components whose explained variance exceeds it; 'full' solver), or null
   * (all: min(nSamples, nFeatures)). Default: null.
   */
  nComponents: number | null;
  /** Scale the scores to unit variance per component (transform divides by √explainedVariance). Default: false. */
  whiten: boolean;
  /**
   * 'full': exact (eigen-decomposition of the centred Gram matrix); 'randomized': randomized
   * subspace iteration; 'auto': scikit-learn 1.2's rule — 'full' when max(n, p) <= 500 or
   * nComponents is a fraction or not below 0.8·min(n, p), else 'randomized'. Default: 'auto'.
   */
  svdSolver: 'auto' | 'full' | 'randomized';
  /** Subspace iterations of the randomized solver: a count, or 'auto' (7 when nComponents < 0.1·min(n, p), else 4). Default: 'auto'. */
  iteratedPower: number | 'auto';
  /** Extra random directions of the randomized solver (its sketch has nComponents + nOversamples columns). Default: 10. */
  nOversamples: number;
  /** Seed of the randomized solver's Gaussian start. Default: 0. */
  randomState: number;
  /** Backend of the products over the rows (the eigensolver runs on the CPU). Default: undefined. */
  backend: BackendChoice | undefined;
}

const PCA_SPECS: ParamSpecs<PCAParams> = {
  nComponents: nullable(union(int({ min: 1 }), num({ min: 0, max: 1, minExclusive: true, maxExclusive: true }))),
  whiten: bool(),
  svdSolver: oneOf('auto', 'full', 'randomized'),
  iteratedPower: union(oneOf('auto'), int({ min: 0 })),
  nOversamples: int({ min: 1 }),
  randomState: int(),
  backend: optional(BACKEND_CHOICE),
};

/** The solver scikit-learn 1.2's 'auto' picks for this shape and nComponents. */
export function pcaAutoSolver(nComponents: number | null, n: number, p: number): 'full' | 'randomized' {
  if (Math.max(n, p) <= 500) return 'full';
  if (nComponents !== null && nComponents >= 1 && nComponents < 0.8 * Math.min(n, p)) return 'randomized';
  return 'full';
}

export class PCA extends LinearProjection<PCAParams> {
  /** The solver the last fit used ('auto' resolved). */
  private solverUsed: 'full' | 'randomized' | undefined;

  constructor(params: Partial<PCAParams> = {}) {
    super({ nComponents: null, whiten: false, svdSolver: 'auto', iteratedPower: 'auto', nOversamples: 10, randomState: 0, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<PCAParams> {
    return PCA_SPECS;
  }

  /** The solver the fit ran: 'full' or 'randomized' ('auto' resolved). */
  get svdSolverUsed(): 'full' | 'randomized' {
    return this.fitted(this.solverUsed);
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      await this.fitScores(X);
    });
  }

  async fitTransform(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('fitTransform', opts, SIGNAL_ONLY);
    let out: Matrix<Float64Array> | undefined;
    await this.transaction(opts.signal, async () => {
      const { scores, rows } = await this.fitScores(X);
      out = this.scores(scores, rows);
    });
    return out as Matrix<Float64Array>;
  }

  /** Fits and returns the training scores (svd_flip needs them anyway). */
  private async fitScores(X: MatrixLike): Promise<{ scores: Float64Array; rows: number }> {
    refuseSparse(X, 'PCA.fit: X');
    const m = readMatrix(X, 'PCA.fit: X');
    const n = m.rows,
      p = m.cols,
      lim = Math.min(n, p);
    if (n < 2) throw new ShapeError('PCA.fit: X has 1 row; variances need at least 2 samples');
    const want = this.params.nComponents;
    const solver = this.params.svdSolver === 'auto' ? pcaAutoSolver(want, n, p) : this.params.svdSolver;
    if (want !== null && want >= 1 && want > lim) {
      throw new ParamError(`PCA: nComponents=${want} must be at most min(nSamples, nFeatures) = min(${n}, ${p}) = ${lim}; ask for fewer components`);
    }
    if (solver === 'randomized' && want !== null && want < 1) {
      throw new ParamError(`PCA: nComponents=${want} (a variance fraction) needs svdSolver 'full'; the randomized solver takes a count`);
    }
    const k = await decompKernels(this.params.backend, n * p * p, 'PCA');
    const stats = await columnStats(m, { backend: k.cpu });
    const mean = stats.mean;
    const totalVar = stats.variance.reduce((a, v) => a + v, 0) * (n / (n - 1));
    if (!(totalVar > 0)) {
      throw new KilnError('E_PARAM', 'PCA.fit: every column of X is constant (total variance 0); there are no principal directions to find');
    }
    let nc: number, s: Float64Array, v: Float64Array, noise: number;
    if (solver === 'full') {
      const gram = await centredGram(m, mean, k);
      const svd = await exactSvd(gram, p, k);
      const ev = svd.s.subarray(0, lim).map((x) => (x * x) / (n - 1));
      const total = ev.reduce((a, x) => a + x, 0);
      nc = want === null ? lim : want >= 1 ? want : componentsForFraction(ev, total, want);
      s = svd.s.slice(0, nc);
      v = svd.v.slice(0, nc * p);
      noise = nc < lim ? ev.subarray(nc).reduce((a, x) => a + x, 0) / (lim - nc) : 0;
    } else {
      nc = want ?? lim;
      const q = Math.min(p, nc + this.params.nOversamples);
      const iters = this.params.iteratedPower === 'auto' ? autoPowerIterations(nc, n, p) : this.params.iteratedPower;
      // Same iterates either way; the Gram matrix is cheaper when p is small next to the passes' columns.
      const op = p <= 2 * q * (iters + 1) ? gramMatrixOperator(await centredGram(m, mean, k), p, k) : passOperator(m, mean, k);
      const svd = await randomizedSvd(op, p, nc, this.params.nOversamples, iters, this.params.randomState, k);
      s = svd.s;
      v = svd.v;
      const kept = s.reduce((a, x) => a + (x * x) / (n - 1), 0);
      noise = nc < lim ? Math.max(totalVar - kept, 0) / (lim - nc) : 0;
    }
    const ev = s.map((x) => (x * x) / (n - 1));
    const scores = await project(m, mean, v, nc, k);
    flipSigns(v, p, scores, nc);
    const state: ProjectionState = {
      nFeatures: p,
      nComponents: nc,
      nSamples: n,
      mean: Float64Array.from(mean),
      components: v,
      explainedVariance: ev,
      explainedVarianceRatio: ev.map((x) => x / totalVar),
      singularValues: s,
      noiseVariance: noise,
    };
    this.state = state;
    this.solverUsed = solver;
    return { scores, rows: n };
  }
}

/** scikit-learn's rule: the fewest components whose cumulative ratio exceeds `fraction` (searchsorted right + 1). */
function componentsForFraction(ev: Float64Array, total: number, fraction: number): number {
  let cum = 0;
  for (let i = 0; i < ev.length; i++) {
    cum += ev[i] / total;
    if (cum > fraction) return i + 1;
  }
  return ev.length;
}
