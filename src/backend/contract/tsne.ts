/**
 * The tsne family: Barnes-Hut t-SNE's KL gradient of a 2-D embedding (van der Maaten 2014, as
 * scikit-learn 1.2's method='barnes_hut'): attractive forces over a sparse symmetric P, repulsive
 * forces from a quadtree of the embedding where a cell of width w at distance d counts as one
 * body when w / d < angle. The native kernel is the js oracle's arithmetic in the same order:
 * gradients agree bit for bit, for any thread count; the KL divergence to 1e-12 relative (the
 * platform's log against V8's).
 */
import { ShapeError } from '../../core/errors.js';

/** Symmetric sparse P in CSR form (rows sum with their transposes to 1 overall). */
export interface SparseP {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

export interface TsneGradientArgs {
  P: SparseP;
  /** n × 2 embedding, row-major. */
  y: Float64Array;
  n: number;
  /** Barnes-Hut's trade-off in [0, 1]; 0 is the exact repulsion. */
  angle: number;
  /** Factor on P (early exaggeration). */
  exaggeration: number;
  /** n × 2 out: the gradient. */
  grad: Float64Array;
  /** Also compute KL(P‖Q) over P's edges (one log per edge: only on the iterations that check progress). */
  computeError: boolean;
}

export interface TsneKernels {
  /** Writes the gradient into a.grad; returns KL(P‖Q) when computeError, else 0. On the calling thread (the optimiser calls it every iteration). */
  gradientSync(a: TsneGradientArgs): number;
}

/** Lengths a backend trusts before it touches memory. */
export function checkTsneGradientArgs(a: TsneGradientArgs): void {
  const { P, n } = a;
  if (a.y.length !== 2 * n) throw new ShapeError(`tsne: y has ${a.y.length} values, expected n × 2 = ${2 * n}`);
  if (a.grad.length !== 2 * n) throw new ShapeError(`tsne: grad has ${a.grad.length} values, expected n × 2 = ${2 * n}`);
  if (P.indptr.length !== n + 1) throw new ShapeError(`tsne: P.indptr has ${P.indptr.length} values, expected n + 1 = ${n + 1}`);
  const nnz = P.indptr[n];
  if (P.indices.length !== nnz || P.values.length !== nnz)
    throw new ShapeError(`tsne: P has ${P.indices.length} indices and ${P.values.length} values, expected indptr[n] = ${nnz}`);
}
