/** FunctionTransformer (scikit-learn's): a stateless elementwise or whole-matrix function, e.g. log1p. */
import { readMatrix } from '../core/read-matrix.js';
import { NonFiniteError, ParamError } from '../core/errors.js';
import { SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { bool, fn, oneOf, optional, union, type ParamSpecs } from '../core/params.js';
import { Transformer } from './base.js';

export interface FunctionTransformerParams {
  /** The function applied to every value (NaN included), or the name of a common one. Default: 'identity'. */
  func: ((x: number) => number) | 'log1p' | 'sqrt' | 'log' | 'exp' | 'identity';
  /** The inverse for inverseTransform; named funcs bring their own, so it is needed only for a custom func. Default: undefined. */
  inverseFunc: ((x: number) => number) | undefined;
  /** Refuse outputs that are ±Infinity (a log of 0, say) instead of passing them on. Default: true. */
  checkFinite: boolean;
}

const NAMED: Record<string, [(x: number) => number, (x: number) => number]> = {
  log1p: [Math.log1p, Math.expm1],
  sqrt: [Math.sqrt, (x) => x * x],
  log: [Math.log, Math.exp],
  exp: [Math.exp, Math.log],
  identity: [(x) => x, (x) => x],
};

const FUNCTION_SPECS: ParamSpecs<FunctionTransformerParams> = {
  func: union(fn(), oneOf('log1p', 'sqrt', 'log', 'exp', 'identity')),
  inverseFunc: optional(fn()),
  checkFinite: bool(),
};

export class FunctionTransformer extends Transformer<FunctionTransformerParams> {
  constructor(params: Partial<FunctionTransformerParams> = {}) {
    super({ func: 'identity', inverseFunc: undefined, checkFinite: true }, params);
  }

  protected get paramSpecs(): ParamSpecs<FunctionTransformerParams> {
    return FUNCTION_SPECS;
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
        throw new NonFiniteError(
          `FunctionTransformer.${method}: f(${m.data[i]}) = ${v} at row ${Math.floor(i / m.cols)}, column ${i % m.cols}; shift the data or pass checkFinite: false`,
        );
      }
      out[i] = v;
    }
    return new Matrix(out, m.rows, m.cols);
  }
}
