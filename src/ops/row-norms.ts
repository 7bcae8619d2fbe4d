/** Euclidean norms of rows. */
import { readMatrix } from '../core/read-matrix.js';
import type { MatrixLike } from '../core/matrix.js';
import { boolOption, checkOptions } from '../core/validate.js';
import type { BackendChoice } from '../backend/backend.js';
import { deviceKernels, resolveBackend } from '../backend/select.js';
import type { GpuMatrix } from '../backend/index.js';
import { isGpu } from './gpu.js';

export interface RowNormsOptions {
  /** Return ‖x‖² instead of ‖x‖ (default false). */
  squared?: boolean;
  backend?: BackendChoice;
}

/** ‖row‖₂ (or its square) of every row of x, accumulated in f64 on CPU backends. */
export async function rowNorms(x: MatrixLike | GpuMatrix, opts: RowNormsOptions = {}): Promise<Float64Array> {
  checkOptions(opts, ['squared', 'backend'], 'rowNorms');
  const squared = boolOption(opts.squared, 'rowNorms: squared');
  if (isGpu(x)) return (await deviceKernels(opts.backend, 'rowNorms')).rowNorms(x, squared);
  const m = readMatrix(x, 'rowNorms: x');
  const backend = await resolveBackend(opts.backend, m.data.length);
  return backend.reduce.rowNorms(m.data, m.rows, m.cols, squared);
}
