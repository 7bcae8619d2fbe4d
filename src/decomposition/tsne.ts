/**
 * t-SNE (van der Maaten & Hinton) with scikit-learn 1.2's parameters and optimiser: perplexity
 * calibrated by binary search on each row's Gaussian, early exaggeration for 250 iterations with
 * momentum 0.5, then momentum 0.8, delta-bar-delta gains (min 0.01), learningRate 'auto' =
 * max(n / earlyExaggeration / 4, 50), init 'pca' (scaled to std 1e-4) or 'random'. The gradient
 * is Barnes-Hut by default (tsne-bh.ts: kNN affinities; the gradient is the backend's tsne family,
 * C++ over threads on native, quadtree repulsion, 2-D) or exact (O(n²) per iteration, scikit-learn's
 * method='exact', up to EXACT_MAX_ROWS rows). The KL divergence is computed on the iterations that
 * check progress (every 50th), as scikit-learn does.
 */
import { Estimator, SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { ParamError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { Rng } from '../core/prng.js';
import { int, num, oneOf, optional, union, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import type { BackendChoice } from '../backend/backend.js';
import { BACKEND_CHOICE } from '../backend/contract/names.js';
import type { SparseP, TsneKernels } from '../backend/contract/tsne.js';
import { resolveKernels } from '../backend/select.js';
import { PCA } from './pca.js';
import { sparseJointProbabilities } from './tsne-bh.js';

export interface TSNEParams {
  /** Dimensions of the embedding. Default: 2. */
  nComponents: number;
  /** Effective number of neighbours each point's Gaussian is calibrated to; below nSamples. Default: 30. */
  perplexity: number;
  /** Factor on the affinities during the first 250 iterations. Default: 12. */
  earlyExaggeration: number;
  /** Step size, or 'auto': max(nSamples / earlyExaggeration / 4, 50). Default: 'auto'. */
  learningRate: number | 'auto';
  /** Gradient iterations in all (at least 250). Default: 1000. */
  nIter: number;
  /** Stop after this many iterations without a lower KL divergence (checked every 50). Default: 300. */
  nIterWithoutProgress: number;
  /** Stop when the gradient norm falls below this. Default: 1e-7. */
  minGradNorm: number;
  /** 'barnes_hut' (sparse affinities over 3·perplexity neighbours, quadtree repulsion; 2-D) or 'exact' (O(n²), at most EXACT_MAX_ROWS rows). Default: 'barnes_hut'. */
  method: 'barnes_hut' | 'exact';
  /** Barnes-Hut's trade-off: a cell of width w at distance d counts as one body when w / d < angle. Default: 0.5. */
  angle: number;
  /** Start: 'pca' (the first principal components, scaled to std 1e-4) or 'random' (N(0, 1e-4²)). Default: 'pca'. */
  init: 'pca' | 'random';
  /** Seed of the random start and of PCA's randomized solver. Default: 0. */
  randomState: number;
  /** Backend of the Barnes-Hut gradient, the k-NN and the PCA start: 'native' (C++ over threads), 'js', or 'auto'; 'webgpu' has no t-SNE kernel (E_BACKEND_LIMIT). Default: undefined (setBackend's choice). */
  backend: BackendChoice | undefined;
}

const SPECS: ParamSpecs<TSNEParams> = {
  nComponents: int({ min: 1 }),
  perplexity: num({ min: 0, minExclusive: true, finite: true }),
  earlyExaggeration: num({ min: 1, finite: true }),
  learningRate: union(oneOf('auto'), num({ min: 0, minExclusive: true, finite: true })),
  nIter: int({ min: 250 }),
  nIterWithoutProgress: int({ min: 1 }),
  minGradNorm: num({ min: 0, finite: true }),
  method: oneOf('barnes_hut', 'exact'),
  angle: num({ min: 0, max: 1 }),
  init: oneOf('pca', 'random'),
  randomState: int(),
  backend: optional(BACKEND_CHOICE),
};

export const EXACT_MAX_ROWS = 5000;
const EPS = 2 ** -52;
const EXPLORATION = 250;

/** Row-conditional Gaussians of entropy log(perplexity), symmetrised and normalised (scikit-learn's _joint_probabilities). */
export function jointProbabilities(d2: Float64Array, n: number, perplexity: number): Float64Array {
  const P = new Float64Array(n * n),
    target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    let beta = 1,
      lo = -Infinity,
      hi = Infinity;
    for (let step = 0; step < 100; step++) {
      let sum = 0,
        sumDP = 0;
      for (let j = 0; j < n; j++) {
        const pj = j === i ? 0 : Math.exp(-d2[i * n + j] * beta);
        P[i * n + j] = pj;
        sum += pj;
      }
      if (sum === 0) sum = EPS;
      for (let j = 0; j < n; j++) {
        P[i * n + j] /= sum;
        sumDP += d2[i * n + j] * P[i * n + j];
      }
      const entropy = Math.log(sum) + beta * sumDP;
      const diff = entropy - target;
      if (Math.abs(diff) <= 1e-5) break;
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const v = P[i * n + j] + P[j * n + i];
      P[i * n + j] = P[j * n + i] = v;
      total += 2 * v;
    }
  total = Math.max(total, EPS);
  for (let t = 0; t < n * n; t++) P[t] = Math.max(P[t] / total, EPS);
  for (let i = 0; i < n; i++) P[i * n + i] = 0;
  return P;
}

/** KL(P‖Q) and its gradient for Student-t affinities with `dof` degrees of freedom. */
function klGradient(
  P: Float64Array,
  y: Float64Array,
  n: number,
  c: number,
  dof: number,
  grad: Float64Array,
  exaggeration: number,
  computeError: boolean,
): number {
  const w = new Float64Array(n * n);
  let sum = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let d = 0;
      for (let t = 0; t < c; t++) d += (y[i * c + t] - y[j * c + t]) ** 2;
      const v = (1 + d / dof) ** (-(dof + 1) / 2);
      w[i * n + j] = w[j * n + i] = v;
      sum += 2 * v;
    }
  grad.fill(0);
  let kl = 0;
  const k = (2 * (dof + 1)) / dof;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const q = Math.max(w[i * n + j] / sum, EPS),
        p = P[i * n + j] * exaggeration;
      if (computeError) kl += p * Math.log(Math.max(p, EPS) / q);
      const f = k * (p - q) * w[i * n + j]; // scikit-learn's exact gradient: (P − Q)·w
      for (let t = 0; t < c; t++) grad[i * c + t] += f * (y[i * c + t] - y[j * c + t]);
    }
  return kl;
}

export class TSNE extends Estimator<TSNEParams> {
  private state: { n: number; c: number; embedding: Float64Array; kl: number; nIter: number; learningRate: number } | undefined;

  constructor(params: Partial<TSNEParams> = {}) {
    super(
      {
        nComponents: 2,
        perplexity: 30,
        earlyExaggeration: 12,
        learningRate: 'auto',
        nIter: 1000,
        nIterWithoutProgress: 300,
        minGradNorm: 1e-7,
        method: 'barnes_hut',
        angle: 0.5,
        init: 'pca',
        randomState: 0,
        backend: undefined,
      },
      params,
    );
  }

  protected get paramSpecs(): ParamSpecs<TSNEParams> {
    return SPECS;
  }

  /** The embedding of the last fit: nSamples × nComponents. */
  get embedding(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.embedding), s.n, s.c);
  }
  /** KL divergence after optimisation. */
  get klDivergence(): number {
    return this.fitted(this.state).kl;
  }
  get nIterRun(): number {
    return this.fitted(this.state).nIter;
  }
  get learningRateUsed(): number {
    return this.fitted(this.state).learningRate;
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    await this.embed(X, opts.signal);
    return this;
  }

  /** Embeds X (t-SNE has no transform for new points, as in scikit-learn). */
  async fitTransform(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('fitTransform', opts, SIGNAL_ONLY);
    await this.embed(X, opts.signal);
    return this.embedding;
  }

  private async embed(X: MatrixLike, signal: AbortSignal | undefined): Promise<void> {
    await this.transaction(signal, async () => {
      const m = readMatrix(X, 'TSNE.fit: X');
      const n = m.rows,
        p = m.cols,
        c = this.params.nComponents;
      const bh = this.params.method === 'barnes_hut';
      if (!bh && n > EXACT_MAX_ROWS)
        throw new ParamError(`TSNE: ${n} rows; method 'exact' is O(n²) in memory and time, at most ${EXACT_MAX_ROWS} rows: use 'barnes_hut'`);
      if (bh && c !== 2) throw new ParamError(`TSNE: method 'barnes_hut' embeds in 2 dimensions here (nComponents ${c}); use method 'exact'`);
      if (this.params.perplexity >= n) throw new ParamError(`TSNE: perplexity (${this.params.perplexity}) must be less than nSamples (${n})`);
      let P: Float64Array | undefined, sparseP: SparseP | undefined, kernels: TsneKernels | undefined;
      // first, so an explicit backend without t-SNE kernels (webgpu) refuses before any work
      if (bh) kernels = (await resolveKernels('tsne', this.params.backend, n * n, 'TSNE')).kernels;
      if (bh) sparseP = await sparseJointProbabilities(m, this.params.perplexity, this.params.backend);
      else {
        const d2 = new Float64Array(n * n);
        for (let i = 0; i < n; i++)
          for (let j = i + 1; j < n; j++) {
            let s = 0;
            for (let t = 0; t < p; t++) s += (m.data[i * p + t] - m.data[j * p + t]) ** 2;
            d2[i * n + j] = d2[j * n + i] = s;
          }
        P = jointProbabilities(d2, n, this.params.perplexity);
      }
      const ee = this.params.earlyExaggeration;
      const lr = this.params.learningRate === 'auto' ? Math.max(n / ee / 4, 50) : this.params.learningRate;
      let y: Float64Array;
      if (this.params.init === 'pca') {
        if (c > Math.min(n, p)) throw new ParamError(`TSNE: init 'pca' needs nComponents <= min(nSamples, nFeatures) = ${Math.min(n, p)}; use init 'random'`);
        const z = await new PCA({ nComponents: c, svdSolver: 'randomized', randomState: this.params.randomState, backend: this.params.backend }).fitTransform(
          m,
        );
        let mu = 0,
          sq = 0;
        for (let i = 0; i < n; i++) mu += z.data[i * c] / n;
        for (let i = 0; i < n; i++) sq += (z.data[i * c] - mu) ** 2 / n;
        const scale = 1e-4 / (Math.sqrt(sq) || 1);
        y = z.data.map((v) => v * scale);
      } else {
        const rng = new Rng(this.params.randomState);
        y = Float64Array.from({ length: n * c }, () => 1e-4 * rng.normal());
      }
      const dof = Math.max(c - 1, 1);
      const grad = new Float64Array(n * c),
        update = new Float64Array(n * c),
        gains = new Float64Array(n * c).fill(1);
      let kl = 0,
        best = Infinity,
        bestIter = 0,
        it = 0;
      const phases: [number, number, number][] = [
        [0, EXPLORATION, 0.5],
        [EXPLORATION, this.params.nIter, 0.8],
      ];
      for (const [start, end, momentum] of phases) {
        const exaggeration = start === 0 ? ee : 1;
        best = Infinity;
        bestIter = start;
        for (it = start; it < end; it++) {
          const check = (it + 1) % 50 === 0,
            error = check || it === this.params.nIter - 1; // the last iteration's KL is the one reported
          const e = sparseP
            ? (kernels as TsneKernels).gradientSync({ P: sparseP, y, n, angle: this.params.angle, exaggeration, grad, computeError: error })
            : klGradient(P as Float64Array, y, n, c, dof, grad, exaggeration, error);
          if (error) kl = e;
          let norm = 0;
          for (let t = 0; t < n * c; t++) {
            const inc = update[t] * grad[t] < 0;
            gains[t] = Math.max(inc ? gains[t] + 0.2 : gains[t] * 0.8, 0.01);
            const g = grad[t] * gains[t];
            norm += grad[t] * grad[t];
            update[t] = momentum * update[t] - lr * g;
            y[t] += update[t];
          }
          if (check) {
            signal?.throwIfAborted();
            await new Promise((r) => setImmediate(r)); // let the event loop breathe between checks
            if (kl < best) {
              best = kl;
              bestIter = it;
            } else if (it - bestIter > this.params.nIterWithoutProgress) break;
          }
          if (Math.sqrt(norm) < this.params.minGradNorm) break;
        }
      }
      this.state = { n, c, embedding: y, kl, nIter: it, learningRate: lr };
    });
  }
}
