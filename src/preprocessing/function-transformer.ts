/** FunctionTransformer (scikit-learn's): a stateless elementwise or whole-matrix function, e.g. log1p. */
import { readMatrix } from '../core/read-matrix.js';
import { NonFiniteError, ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { Transformer } from './base.js';

export interface FunctionTransformerParams {
  /** Applied to every value, or a name for a common one. */
  func: ((x: number) => number) | 'log1p' | 'sqrt' | 'log' | 'exp' | 'identity';
  /** The inverse for inverseTransform (named funcs bring their own). */
  inverseFunc: ((x: number) => number) | undefined;
  /** Refuse outputs that are ±Infinity (a log of 0, say) instead of passing them on. */
  checkFinite: boolean;
}

const NAMED: Record<string, [(x: number) => number, (x: number) => number]> = {
  log1p: [Math.log1p, Math.expm1], sqrt: [Math.sqrt, (x) => x * x], log: [Math.log, Math.exp],
  exp: [Math.exp, Math.log], identity: [(x) => x, (x) => x],
};

export class FunctionTransformer extends Transformer<FunctionTransformerParams> {
  constructor(params: Partial<FunctionTransformerParams> = {}) {
    super({ func: 'identity', inverseFunc: undefined, checkFinite: true }, params);
  }

  protected checkParams(p: FunctionTransformerParams): void {
    if (typeof p.func !== 'function' && !(p.func in NAMED)) throw new ParamError(`FunctionTransformer: func must be a function or one of ${Object.keys(NAMED).join(', ')}`);
    if (p.inverseFunc !== undefined && typeof p.inverseFunc !== 'function') throw new ParamError('FunctionTransformer: inverseFunc must be a function');
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      readMatrix(X, 'FunctionTransformer.fit: X', { nonFinite: 'missing' });
      return this;
    });
  }

  async transform(X: MatrixLike, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('transform', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, async () => {
      const f = typeof this.params.func === 'function' ? this.params.func : NAMED[this.params.func][0];
      return this.map(X, f, 'transform');
    });
  }

  async inverseTransform(X: MatrixLike): Promise<Matrix<Float64Array>> {
    const g = this.params.inverseFunc ?? (typeof this.params.func === 'string' ? NAMED[this.params.func][1] : undefined);
    if (!g) throw new ParamError('FunctionTransformer.inverseTransform: pass inverseFunc for a custom func');
    return this.map(X, g, 'inverseTransform');
  }

  private map(X: MatrixLike, f: (x: number) => number, method: string): Matrix<Float64Array> {
    const m = readMatrix(X, `FunctionTransformer.${method}: X`, { nonFinite: 'missing' });
    const out = new Float64Array(m.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = f(m.data[i]);
      if (this.params.checkFinite && (v === Infinity || v === -Infinity)) {
        throw new NonFiniteError(`FunctionTransformer.${method}: f(${m.data[i]}) = ${v} at row ${Math.floor(i / m.cols)}, column ${i % m.cols}; shift the data or pass checkFinite: false`);
      }
      out[i] = v;
    }
    return new Matrix(out, m.rows, m.cols);
  }
}
