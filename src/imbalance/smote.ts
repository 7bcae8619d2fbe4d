/**
 * SMOTE (imbalanced-learn's): new minority rows on the segment between a row and one of its k
 * nearest same-class neighbours (kiln's exact k-NN), until each resampled class reaches its
 * target count. Original rows come first, then the synthetic ones.
 */
import { ParamError } from '../core/errors.js';
import { Matrix, toMatrix, type MatrixLike } from '../core/matrix.js';
import { Rng } from '../core/prng.js';
import { checkOptions } from '../core/validate.js';
import type { BackendChoice } from '../backend/backend.js';
import { encodeLabels, type Label } from '../core/labels.js';
import { NearestNeighbors } from '../models/neighbors/nearest-neighbors.js';
import { checkStrategy, resamplingTargets, type SamplerOptions } from './random-samplers.js';

export interface SmoteOptions extends SamplerOptions {
  /** Same-class neighbours a synthetic row may be interpolated towards, an integer >= 1. Default: 5. */
  kNeighbors?: number;
  /** Backend of the neighbour search; undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend?: BackendChoice;
}

export class SMOTE {
  private readonly opts: Required<Omit<SmoteOptions, 'backend'>> & { backend: BackendChoice | undefined };

  constructor(opts: SmoteOptions = {}) {
    checkOptions(opts, ['samplingStrategy', 'randomState', 'kNeighbors', 'backend'], 'SMOTE');
    const k = opts.kNeighbors ?? 5;
    if (!Number.isInteger(k) || k < 1) throw new ParamError('SMOTE: kNeighbors must be an integer >= 1');
    checkStrategy(opts.samplingStrategy ?? 'auto', 'SMOTE');
    this.opts = { samplingStrategy: opts.samplingStrategy ?? 'auto', randomState: opts.randomState ?? 0, kNeighbors: k, backend: opts.backend };
  }

  async fitResample(X: MatrixLike, y: ArrayLike<Label>): Promise<[Matrix<Float64Array>, Label[]]> {
    const m = toMatrix(X, 'SMOTE.fitResample: X');
    if (y.length !== m.rows) throw new ParamError(`SMOTE.fitResample: y has ${y.length} labels but X has ${m.rows} rows`);
    const { classes, codes } = encodeLabels(y, 'SMOTE.fitResample: y');
    const members: number[][] = classes.map(() => []);
    codes.forEach((c, i) => members[c].push(i));
    const targets = resamplingTargets(
      this.opts.samplingStrategy,
      classes,
      members.map((r) => r.length),
      true,
      'SMOTE',
    );
    const rng = new Rng(this.opts.randomState);
    const rows: number[][] = [],
      labels: Label[] = [];
    for (let k = 0; k < classes.length; k++) {
      const need = targets[k] - members[k].length;
      if (need <= 0) continue;
      if (members[k].length <= this.opts.kNeighbors) {
        throw new ParamError(
          `SMOTE: class ${String(classes[k])} has ${members[k].length} rows; kNeighbors = ${this.opts.kNeighbors} needs more — lower kNeighbors`,
        );
      }
      const own = members[k].map((r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols), Number));
      const nn = await new NearestNeighbors({ nNeighbors: this.opts.kNeighbors, backend: this.opts.backend }).fit(own);
      const { indices } = await nn.kneighbors(); // each row's neighbours, itself excluded
      for (let s = 0; s < need; s++) {
        const i = rng.int(own.length),
          j = indices[i * this.opts.kNeighbors + rng.int(this.opts.kNeighbors)];
        const gap = rng.random();
        rows.push(own[i].map((v, c) => v + gap * (own[j][c] - v)));
        labels.push(classes[k]);
      }
    }
    const out = new Float64Array((m.rows + rows.length) * m.cols);
    for (let i = 0; i < m.data.length; i++) out[i] = m.data[i];
    rows.forEach((r, i) => out.set(r, (m.rows + i) * m.cols));
    return [new Matrix(out, m.rows + rows.length, m.cols), [...Array.from(y), ...labels]];
  }
}
