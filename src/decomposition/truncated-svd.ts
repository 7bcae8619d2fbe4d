/**
 * scikit-learn's TruncatedSVD: the top singular triplets of X itself (no centring, so a
 * CsrMatrix stays sparse — latent semantic analysis of TF-IDF output). algorithm
 * 'randomized' is scikit-learn's default (randomized subspace iteration); 'exact' takes the
 * eigen-decomposition of XᵀX and stands in for scikit-learn's 'arpack' (which converges to the
 * same exact answer; kiln has no Lanczos solver).
 */
import { CsrMatrix } from '../core/csr.js';
import { sparseNonFinite } from '../core/dense.js';
import { Estimator, SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { EmptyInputError, NonFiniteError, ParamError, ShapeError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { int, oneOf, optional, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import type { BackendChoice } from '../backend/backend.js';
import { BACKEND_CHOICE } from '../backend/contract/names.js';
import { centredGram, passOperator, project } from './gram.js';
import { decompKernels } from './kernels.js';
import { exactSvd, flipSigns, flipSignsByComponents, gramMatrixOperator, randomizedSvd } from './svd.js';

export interface TruncatedSVDParams {
  /** Singular vectors to keep, from 1 to min(nSamples, nFeatures). Default: 2. */
  nComponents: number;
  /** 'randomized' (randomized subspace iteration) or 'exact' (eigen-decomposition of XᵀX, in place of scikit-learn's 'arpack'). Default: 'randomized'. */
  algorithm: 'randomized' | 'exact';
  /** Subspace iterations of the randomized solver. Default: 5. */
  nIter: number;
  /** Extra random directions of the randomized solver. Default: 10. */
  nOversamples: number;
  /** Seed of the randomized solver's Gaussian start. Default: 0. */
  randomState: number;
  /** Backend of the dense products over the rows (the eigensolver runs on the CPU). Default: undefined. */
  backend: BackendChoice | undefined;
}

const SPECS: ParamSpecs<TruncatedSVDParams> = {
  nComponents: int({ min: 1 }),
  algorithm: oneOf('randomized', 'exact'),
  nIter: int({ min: 0 }),
  nOversamples: int({ min: 1 }),
  randomState: int(),
  backend: optional(BACKEND_CHOICE),
};

/** 'exact' on sparse input builds the p × p Gram matrix: refused beyond this many features. */
const EXACT_MAX_FEATURES = 8192;

interface SvdState {
  nFeatures: number;
  nComponents: number;
  components: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  singularValues: Float64Array;
}

type Input = MatrixLike | CsrMatrix;

function readInput(X: Input, where: string, features?: number): Matrix | CsrMatrix {
  if (!(X instanceof CsrMatrix)) return readMatrix(X, where, { features });
  if (X.rows === 0 || X.cols === 0) throw new EmptyInputError(`${where} is empty`);
  if (features !== undefined && X.cols !== features) throw new ShapeError(`${where} has ${X.cols} features but the model was fitted with ${features}`);
  const bad = sparseNonFinite(X);
  if (bad) throw new NonFiniteError(`${where} holds ${bad}; pass finite values`);
  return X;
}

/** XᵀX of a CSR matrix, p × p f64: the outer products of each row's nonzeros. */
function sparseGram(X: CsrMatrix): Float64Array {
  const p = X.cols,
    g = new Float64Array(p * p);
  for (let r = 0; r < X.rows; r++) {
    for (let a = X.indptr[r]; a < X.indptr[r + 1]; a++) {
      const ia = X.indices[a] * p,
        va = X.data[a];
      for (let b = X.indptr[r]; b < X.indptr[r + 1]; b++) g[ia + X.indices[b]] += va * X.data[b];
    }
  }
  return g;
}

/** Per-column variance (ddof 0) summed over the columns. */
function totalVariance(X: Matrix | CsrMatrix): number {
  const n = X.rows,
    p = X.cols,
    sum = new Float64Array(p),
    sq = new Float64Array(p);
  if (X instanceof CsrMatrix) {
    for (let t = 0; t < X.nnz; t++) {
      sum[X.indices[t]] += X.data[t];
      sq[X.indices[t]] += X.data[t] * X.data[t];
    }
    let v = 0;
    for (let c = 0; c < p; c++) v += Math.max(sq[c] / n - (sum[c] / n) ** 2, 0);
    return v;
  }
  for (let i = 0; i < n * p; i++) sum[i % p] += X.data[i];
  for (let i = 0; i < n * p; i++) sq[i % p] += (X.data[i] - sum[i % p] / n) ** 2;
  return sq.reduce((a, v) => a + v / n, 0);
}

export class TruncatedSVD extends Estimator<TruncatedSVDParams> {
  private state: SvdState | undefined;

  constructor(params: Partial<TruncatedSVDParams> = {}) {
    super({ nComponents: 2, algorithm: 'randomized', nIter: 5, nOversamples: 10, randomState: 0, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<TruncatedSVDParams> {
    return SPECS;
  }

  /** Right singular vectors: nComponents × nFeatures. */
  get components(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.components), s.nComponents, s.nFeatures);
  }
  /** Variance (ddof 0) of each column of the training scores. */
  get explainedVariance(): Float64Array {
    return Float64Array.from(this.fitted(this.state).explainedVariance);
  }
  /** explainedVariance over the total variance of the training data. */
  get explainedVarianceRatio(): Float64Array {
    return Float64Array.from(this.fitted(this.state).explainedVarianceRatio);
  }
  get singularValues(): Float64Array {
    return Float64Array.from(this.fitted(this.state).singularValues);
  }
  get nFeaturesIn(): number {
    return this.fitted(this.state).nFeatures;
  }

  featureNamesOut(): string[] {
    return Array.from({ length: this.fitted(this.state).nComponents }, (_, i) => `truncatedsvd${i}`);
  }

  async fit(X: Input, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      await this.fitScores(X);
    });
  }

  async fitTransform(X: Input, _y?: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('fitTransform', opts, SIGNAL_ONLY);
    let out: Matrix<Float64Array> | undefined;
    await this.transaction(opts.signal, async () => {
      out = await this.fitScores(X);
    });
    return out as Matrix<Float64Array>;
  }

  async transform(X: Input, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      const m = readInput(X, 'TruncatedSVD.transform: X', s.nFeatures);
      const k = await decompKernels(this.params.backend, m.rows * s.nFeatures * s.nComponents, 'TruncatedSVD');
      return new Matrix(await project(m, null, s.components, s.nComponents, k), m.rows, s.nComponents);
    });
  }

  /** Scores back to the feature space: Y · components. */
  async inverseTransform(Y: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('inverseTransform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      const y = readMatrix(Y, 'TruncatedSVD.inverseTransform: Y');
      if (y.cols !== s.nComponents) throw new ShapeError(`TruncatedSVD.inverseTransform: Y has ${y.cols} columns but the model keeps ${s.nComponents}`);
      const p = s.nFeatures,
        out = new Float64Array(y.rows * p);
      for (let r = 0; r < y.rows; r++)
        for (let j = 0; j < s.nComponents; j++) {
          const a = y.data[r * s.nComponents + j];
          for (let c = 0; c < p; c++) out[r * p + c] += a * s.components[j * p + c];
        }
      return new Matrix(out, y.rows, p);
    });
  }

  private async fitScores(X: Input): Promise<Matrix<Float64Array>> {
    const m = readInput(X, 'TruncatedSVD.fit: X');
    const n = m.rows,
      p = m.cols,
      nc = this.params.nComponents,
      exact = this.params.algorithm === 'exact';
    if (nc > Math.min(n, p)) {
      throw new ParamError(`TruncatedSVD: nComponents=${nc} must be at most min(nSamples, nFeatures) = ${Math.min(n, p)}; ask for fewer components`);
    }
    const sparse = m instanceof CsrMatrix;
    if (exact && sparse && p > EXACT_MAX_FEATURES) {
      throw new ParamError(`TruncatedSVD: algorithm 'exact' builds a ${p} × ${p} Gram matrix; above ${EXACT_MAX_FEATURES} features use 'randomized'`);
    }
    const k = await decompKernels(this.params.backend, (sparse ? m.nnz : n * p) * p, 'TruncatedSVD');
    const gram = async () => (sparse ? sparseGram(m) : centredGram(m, null, k));
    let v: Float64Array, s: Float64Array;
    if (exact) {
      const svd = await exactSvd(await gram(), p, k);
      s = svd.s.slice(0, nc);
      v = svd.v.slice(0, nc * p);
    } else {
      const q = Math.min(p, nc + this.params.nOversamples);
      const op = !sparse && p <= 2 * q * (this.params.nIter + 1) ? gramMatrixOperator(await gram(), p, k) : passOperator(m, null, k);
      ({ s, v } = await randomizedSvd(op, p, nc, this.params.nOversamples, this.params.nIter, this.params.randomState, k));
    }
    const scores = await project(m, null, v, nc, k);
    // scikit-learn: u-based signs, except randomized_svd on a wide matrix, which decides by V
    if (!exact && n < p) flipSignsByComponents(v, p, scores, nc);
    else flipSigns(v, p, scores, nc);
    const ev = new Float64Array(nc);
    for (let j = 0; j < nc; j++) {
      let sum = 0,
        sq = 0;
      for (let i = 0; i < n; i++) sum += scores[i * nc + j];
      for (let i = 0; i < n; i++) sq += (scores[i * nc + j] - sum / n) ** 2;
      ev[j] = sq / n;
    }
    const total = totalVariance(m);
    this.state = {
      nFeatures: p,
      nComponents: nc,
      components: v,
      explainedVariance: ev,
      explainedVarianceRatio: ev.map((x) => x / total),
      singularValues: s,
    };
    return new Matrix(scores, n, nc);
  }
}
