/**
 * scikit-learn's IncrementalPCA: PCA fitted batch by batch in constant memory (Ross et al.'s
 * incremental SVD). Each partialFit stacks the previous components scaled by their singular
 * values, the centred batch and a mean-correction row, and takes the SVD of that stack from the
 * eigen-decomposition of its Gram matrix (f64; the linear family's Gram and the linalg
 * eigensolver). Signs as scikit-learn (svd_flip on V).
 */
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { ParamError, ShapeError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { bool, int, nullable, optional, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import type { BackendChoice } from '../backend/backend.js';
import { BACKEND_CHOICE } from '../backend/contract/names.js';
import { centredGram } from './gram.js';
import { decompKernels } from './kernels.js';
import { LinearProjection, refuseSparse } from './projection.js';
import { exactSvd, flipSignsByComponents } from './svd.js';

export interface IncrementalPCAParams {
  /** Components to keep (1 to nFeatures, and at most the rows of each batch), or null: min(rows of the first batch, nFeatures). Default: null. */
  nComponents: number | null;
  /** Scale the scores to unit variance per component. Default: false. */
  whiten: boolean;
  /** Rows per batch in fit, or null: 5 × nFeatures. Default: null. */
  batchSize: number | null;
  /** Backend of the products (the eigensolver runs on the CPU). Default: undefined. */
  backend: BackendChoice | undefined;
}

const SPECS: ParamSpecs<IncrementalPCAParams> = {
  nComponents: nullable(int({ min: 1 })),
  whiten: bool(),
  batchSize: nullable(int({ min: 1 })),
  backend: optional(BACKEND_CHOICE),
};

/** scikit-learn's gen_batches: batches of `size` rows; a last one shorter than `minSize` joins the one before. */
export function batchBounds(n: number, size: number, minSize: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let b = 0; b < Math.floor(n / size); b++) {
    const end = start + size;
    if (end + minSize > n) continue;
    out.push([start, end]);
    start = end;
  }
  if (start < n) out.push([start, n]);
  return out;
}

export class IncrementalPCA extends LinearProjection<IncrementalPCAParams> {
  /** Running per-feature variance (ddof 0) of everything seen. */
  private running: { variance: Float64Array } | undefined;

  constructor(params: Partial<IncrementalPCAParams> = {}) {
    super({ nComponents: null, whiten: false, batchSize: null, backend: undefined }, params);
  }

  protected get paramSpecs(): ParamSpecs<IncrementalPCAParams> {
    return SPECS;
  }

  /** Per-feature variance (ddof 0) of all the data seen. */
  get variance(): Float64Array {
    return Float64Array.from(this.fitted(this.running).variance);
  }
  /** The rows every partialFit has seen (scikit-learn's n_samples_seen_). */
  get nSamplesSeen(): number {
    return this.fitted(this.state).nSamples;
  }
  /** Rows per batch the last fit used. */
  get batchSizeUsed(): number {
    return this.params.batchSize ?? 5 * this.fitted(this.state).nFeatures;
  }

  /** Fits from scratch in batches of batchSize rows. */
  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      refuseSparse(X, 'IncrementalPCA.fit: X');
      const m = readMatrix(X, 'IncrementalPCA.fit: X');
      this.state = undefined;
      this.running = undefined;
      const size = this.params.batchSize ?? 5 * m.cols;
      for (const [r0, r1] of batchBounds(m.rows, size, this.params.nComponents ?? 0)) {
        opts.signal?.throwIfAborted();
        await this.update(m, r0, r1);
      }
    });
  }

  async fitTransform(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    await this.fit(X, y, opts);
    return this.transform(X, opts);
  }

  /** Updates the fit with one more batch of rows. */
  async partialFit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('partialFit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      refuseSparse(X, 'IncrementalPCA.partialFit: X');
      const m = readMatrix(X, 'IncrementalPCA.partialFit: X', { features: this.state?.nFeatures });
      await this.update(m, 0, m.rows);
    });
  }

  private async update(m: Matrix, r0: number, r1: number): Promise<void> {
    const p = m.cols,
      b = r1 - r0,
      prev = this.state,
      want = this.params.nComponents;
    let nc: number;
    if (want === null) nc = prev ? prev.nComponents : Math.min(b, p);
    else if (want > p) throw new ParamError(`IncrementalPCA: nComponents=${want} must be at most nFeatures = ${p}`);
    else if (want > b) throw new ParamError(`IncrementalPCA: nComponents=${want} must be at most the rows of each batch (${b}); use larger batches`);
    else nc = want;
    if (prev && prev.nComponents !== nc) {
      throw new ParamError(`IncrementalPCA: nComponents=${nc} differs from the ${prev.nComponents} of the previous partialFit; refit from scratch`);
    }
    // running mean and variance (Chan et al.), as scikit-learn's _incremental_mean_and_var
    const seen = prev ? prev.nSamples : 0,
      total = seen + b;
    const bMean = new Float64Array(p),
      bM2 = new Float64Array(p);
    for (let r = r0; r < r1; r++) for (let c = 0; c < p; c++) bMean[c] += m.data[r * p + c];
    for (let c = 0; c < p; c++) bMean[c] /= b;
    for (let r = r0; r < r1; r++) for (let c = 0; c < p; c++) bM2[c] += (m.data[r * p + c] - bMean[c]) ** 2;
    const mean = new Float64Array(p),
      variance = new Float64Array(p);
    for (let c = 0; c < p; c++) {
      const oldMean = prev ? prev.mean[c] : 0,
        oldM2 = prev && this.running ? this.running.variance[c] * seen : 0;
      const delta = bMean[c] - oldMean;
      mean[c] = oldMean + (delta * b) / total;
      variance[c] = (oldM2 + bM2[c] + (delta * delta * seen * b) / total) / total;
    }
    // the stack whose SVD updates the fit
    const rows = (prev ? nc + 1 : 0) + b;
    const stack = new Float64Array(rows * p);
    let o = 0;
    if (prev) for (let j = 0; j < nc; j++, o++) for (let c = 0; c < p; c++) stack[o * p + c] = prev.singularValues[j] * prev.components[j * p + c];
    for (let r = r0; r < r1; r++, o++) for (let c = 0; c < p; c++) stack[o * p + c] = m.data[r * p + c] - (prev ? bMean[c] : mean[c]);
    if (prev) {
      const f = Math.sqrt((seen / total) * b);
      for (let c = 0; c < p; c++) stack[o * p + c] = f * (prev.mean[c] - bMean[c]);
    }
    if (b < 1 || total < 2) throw new ShapeError('IncrementalPCA: the first batch needs at least 2 rows (variances need 2 samples)');
    const k = await decompKernels(this.params.backend, rows * p * p, 'IncrementalPCA');
    const svd = await exactSvd(await centredGram(new Matrix(stack, rows, p), null, k), p, k);
    const lim = Math.min(rows, p);
    const v = svd.v.slice(0, nc * p);
    flipSignsByComponents(v, p, null, nc);
    const ev = svd.s.subarray(0, lim).map((s) => (s * s) / (total - 1));
    const totalVar = variance.reduce((a, x) => a + x, 0) * total;
    const noise = nc !== b && nc !== p && lim > nc ? ev.subarray(nc).reduce((a, x) => a + x, 0) / (lim - nc) : 0;
    this.state = {
      nFeatures: p,
      nComponents: nc,
      nSamples: total,
      mean,
      components: v,
      explainedVariance: ev.slice(0, nc),
      explainedVarianceRatio: svd.s.slice(0, nc).map((s) => (s * s) / totalVar),
      singularValues: svd.s.slice(0, nc),
      noiseVariance: noise,
    };
    this.running = { variance };
  }
}
