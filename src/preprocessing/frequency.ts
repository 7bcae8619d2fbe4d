/** FrequencyEncoder: each category replaced by its share of the training rows (unseen → 0). */
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix } from '../core/matrix.js';
import { oneOf, type ParamSpecs } from '../core/params.js';
import { CategoryEncoder, type CategoricalInput, type Category, type Columns } from './encoders.js';

export interface FrequencyEncoderParams {
  /** What a category becomes: 'frequency' (its share of the training rows) or 'count' (its number of training rows). Default: 'frequency'. */
  output: 'frequency' | 'count';
}

const FREQUENCY_SPECS: ParamSpecs<FrequencyEncoderParams> = { output: oneOf('frequency', 'count') };

export class FrequencyEncoder extends CategoryEncoder<FrequencyEncoderParams> {
  private counts: Map<Category | null, number>[] | undefined;
  private n = 0;

  constructor(params: Partial<FrequencyEncoderParams> = {}) {
    super({ output: 'frequency' }, params);
  }

  protected get paramSpecs(): ParamSpecs<FrequencyEncoderParams> {
    return FREQUENCY_SPECS;
  }

  protected override learn({ cols, n }: Columns): void {
    this.n = n;
    this.counts = cols.map((col) => {
      const m = new Map<Category | null, number>();
      for (let i = 0; i < n; i++) m.set(col[i], (m.get(col[i]) ?? 0) + 1);
      return m;
    });
  }

  async transform(X: CategoricalInput, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const { cols, n } = this.columnsFor(X, 'transform');
      const scale = this.params.output === 'count' ? 1 : 1 / this.n;
      const out = new Float64Array(n * cols.length);
      cols.forEach((col, c) => {
        const counts = this.counts![c];
        for (let i = 0; i < n; i++) out[i * cols.length + c] = (counts.get(col[i]) ?? 0) * scale;
      });
      return new Matrix(out, n, cols.length);
    });
  }
}
