/** scikit-learn metric names mapped to the k-NN kernels' metrics. */
import { ParamError } from '../../core/errors.js';
import type { KnnMetric } from '../../backend/backend.js';

export type NeighborsMetric = 'minkowski' | 'euclidean' | 'l2' | 'sqeuclidean' | 'manhattan' | 'l1' | 'cityblock' | 'cosine' | 'inner_product';

const NAMES: Record<Exclude<NeighborsMetric, 'minkowski'>, KnnMetric> = {
  euclidean: 'euclidean',
  l2: 'euclidean',
  sqeuclidean: 'sqeuclidean',
  manhattan: 'manhattan',
  l1: 'manhattan',
  cityblock: 'manhattan',
  cosine: 'cosine',
  inner_product: 'inner_product',
};

export function kernelMetric(metric: NeighborsMetric, p: number, owner: string): KnnMetric {
  if (metric === 'minkowski') {
    if (p === 2) return 'euclidean';
    if (p === 1) return 'manhattan';
    throw new ParamError(`${owner}: minkowski is supported for p = 1 (manhattan) and p = 2 (euclidean), got p = ${p}`);
  }
  const m = NAMES[metric as keyof typeof NAMES];
  if (!m) {
    throw new ParamError(`${owner}: unknown metric ${JSON.stringify(metric)}; use one of minkowski, ${Object.keys(NAMES).join(', ')}`);
  }
  return m;
}
