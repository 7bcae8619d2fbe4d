/** Neighbour weights as scikit-learn defines them. */
import { oneOf } from '../../core/params.js';

export type NeighborWeights = 'uniform' | 'distance';

/** A weights parameter. */
export const WEIGHTS = oneOf('uniform', 'distance');

/**
 * Weights of one query's k neighbours (distances at `off`…`off + k`) into `out`:
 * 1 each for 'uniform'; 1/d for 'distance', where a neighbour at distance 0 takes
 * all the weight (1 for each such neighbour, 0 for the others).
 */
export function neighborWeights(mode: NeighborWeights, distances: Float64Array, off: number, k: number, out: Float64Array): void {
  if (mode === 'uniform') {
    out.fill(1, 0, k);
    return;
  }
  let zero = false;
  for (let t = 0; t < k; t++) if (distances[off + t] === 0) zero = true;
  for (let t = 0; t < k; t++) {
    const d = distances[off + t];
    out[t] = zero ? (d === 0 ? 1 : 0) : 1 / d;
  }
}
