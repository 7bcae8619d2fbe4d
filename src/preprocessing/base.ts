/** What the transformers share: numeric input with NaN as missing, the column kernel. */
import { ShapeError } from '../core/errors.js';
import { Estimator, type CallOptions } from '../core/estimator.js';
import type { Matrix, MatrixLike } from '../core/matrix.js';
import type { BackendChoice } from '../backend/backend.js';
import { BACKEND_CHOICE } from '../backend/contract/names.js';
import { optional, type ParamSpecs } from '../core/params.js';
import { resolveKernels, type ResolvedKernels } from '../backend/select.js';

export function requireCols(m: Matrix, cols: number, name: string): void {
  if (m.cols !== cols) throw new ShapeError(`${name} has ${m.cols} columns but the transformer was fitted with ${cols}`);
}

/** The f64 column kernels (the linear family: native or js) and the backend that runs them. */
export async function columnBackend(choice: BackendChoice | undefined, work: number, owner: string): Promise<ResolvedKernels<'linear'>> {
  return resolveKernels('linear', choice, work, `${owner} (f64 column kernels)`);
}

export interface TransformerParams {
  /**
   * Backend of the transformer's kernels: 'auto', 'native', 'webgpu' or 'js' (the f64 column
   * kernels of the scalers and SimpleImputer run on 'native' or 'js' only); undefined uses the
   * process-wide choice (setBackend). Default: undefined.
   */
  backend: BackendChoice | undefined;
}

export const TRANSFORMER_SPECS: ParamSpecs<TransformerParams> = { backend: optional(BACKEND_CHOICE) };

export abstract class Transformer<P extends object> extends Estimator<P> {
  abstract fit(X: MatrixLike, y?: unknown, opts?: CallOptions): Promise<this>;
  abstract transform(X: MatrixLike, opts?: CallOptions): Promise<Matrix<Float64Array>>;

  /** fit then transform on the same data. */
  async fitTransform(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    return (await this.fit(X, y, opts)).transform(X, opts);
  }
}
