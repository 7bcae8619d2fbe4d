/**
 * What PCA and IncrementalPCA share once fitted: a mean, orthonormal components and their
 * variances; transform = (X − mean) · componentsᵀ (optionally whitened), and its inverse.
 */
import { CsrMatrix } from '../core/csr.js';
import { SIGNAL_ONLY, Estimator, type CallOptions } from '../core/estimator.js';
import { DTypeError, ShapeError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { readMatrix } from '../core/read-matrix.js';
import type { BackendChoice } from '../backend/backend.js';
import { project } from './gram.js';
import { decompKernels } from './kernels.js';

export interface ProjectionState {
  nFeatures: number;
  nComponents: number;
  nSamples: number;
  mean: Float64Array;
  /** nComponents × nFeatures, row-major. */
  components: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  singularValues: Float64Array;
  noiseVariance: number;
}

/** Sparse input is refused by estimators that centre: centring would densify it. */
export function refuseSparse(X: unknown, where: string): void {
  if (X instanceof CsrMatrix) {
    throw new DTypeError(`${where} is a CsrMatrix; centring would make it dense. Use TruncatedSVD for sparse data, or pass X.toDense()`);
  }
}

/** The parameters transform reads (each subclass documents its own). */
interface ProjectionParams {
  /** Scale the scores to unit variance per component. Default: false. */
  whiten: boolean;
  /** Backend of the products over the rows. Default: undefined. */
  backend: BackendChoice | undefined;
}

export abstract class LinearProjection<P extends ProjectionParams> extends Estimator<P> {
  protected state: ProjectionState | undefined;

  /** Principal axes: nComponents × nFeatures, rows of unit length, by decreasing variance. */
  get components(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.components), s.nComponents, s.nFeatures);
  }
  /** Variance along each component (ddof 1). */
  get explainedVariance(): Float64Array {
    return Float64Array.from(this.fitted(this.state).explainedVariance);
  }
  /** Share of the total variance along each component. */
  get explainedVarianceRatio(): Float64Array {
    return Float64Array.from(this.fitted(this.state).explainedVarianceRatio);
  }
  /** Singular values of the centred training data for the kept components. */
  get singularValues(): Float64Array {
    return Float64Array.from(this.fitted(this.state).singularValues);
  }
  /** Per-feature mean of the training data. */
  get mean(): Float64Array {
    return Float64Array.from(this.fitted(this.state).mean);
  }
  /** Probabilistic PCA's noise variance: the mean variance of the discarded directions (0 if none). */
  get noiseVariance(): number {
    return this.fitted(this.state).noiseVariance;
  }
  /** The number of components kept (scikit-learn's n_components_). */
  get nComponentsFitted(): number {
    return this.fitted(this.state).nComponents;
  }
  get nFeaturesIn(): number {
    return this.fitted(this.state).nFeatures;
  }
  get nSamples(): number {
    return this.fitted(this.state).nSamples;
  }

  /** Output column names, as scikit-learn: the lower-cased class name and the component index. */
  featureNamesOut(): string[] {
    const s = this.fitted(this.state);
    return Array.from({ length: s.nComponents }, (_, i) => `${this.constructor.name.toLowerCase()}${i}`);
  }

  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      const where = `${this.constructor.name}.transform: X`;
      refuseSparse(X, where);
      const m = readMatrix(X, where, { features: s.nFeatures });
      const k = await decompKernels(this.params.backend, m.rows * s.nFeatures * s.nComponents, this.constructor.name);
      return this.scores(await project(m, s.mean, s.components, s.nComponents, k), m.rows);
    });
  }

  /** Scores as returned to the caller: whitened (unit variance per component) when asked for. */
  protected scores(raw: Float64Array, rows: number): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    if (this.params.whiten) {
      const inv = s.explainedVariance.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 0));
      for (let i = 0; i < raw.length; i++) raw[i] *= inv[i % s.nComponents];
    }
    return new Matrix(raw, rows, s.nComponents);
  }

  /** Maps scores back to the feature space: Y · components (un-whitened first) + mean. */
  async inverseTransform(Y: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('inverseTransform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const s = this.fitted(this.state);
      const y = readMatrix(Y, `${this.constructor.name}.inverseTransform: Y`);
      if (y.cols !== s.nComponents) {
        throw new ShapeError(`${this.constructor.name}.inverseTransform: Y has ${y.cols} columns but the model keeps ${s.nComponents} components`);
      }
      const p = s.nFeatures,
        nc = s.nComponents,
        out = new Float64Array(y.rows * p);
      const scale = this.params.whiten ? s.explainedVariance.map(Math.sqrt) : new Float64Array(nc).fill(1);
      for (let r = 0; r < y.rows; r++) {
        const o = r * p;
        out.set(s.mean, o);
        for (let j = 0; j < nc; j++) {
          const a = y.data[r * nc + j] * scale[j];
          if (a === 0) continue;
          for (let c = 0; c < p; c++) out[o + c] += a * s.components[j * p + c];
        }
      }
      return new Matrix(out, y.rows, p);
    });
  }
}
