/** gamma as scikit-learn resolves it for the kernel SVMs. */
import { ParamError } from '../../core/errors.js';

export type Gamma = 'scale' | 'auto' | number;

/** 'scale' = 1 / (features · Var(X)) (1 when X is constant), 'auto' = 1 / features, a number as given. */
export function resolveGamma(gamma: Gamma, X: Float64Array, p: number, owner: string): number {
  if (typeof gamma === 'number') {
    if (!(gamma > 0) || !Number.isFinite(gamma)) throw new ParamError(`${owner}: gamma must be 'scale', 'auto' or a finite number > 0, got ${gamma}`);
    return gamma;
  }
  if (gamma === 'auto') return 1 / p;
  let mean = 0;
  for (let i = 0; i < X.length; i++) mean += X[i];
  mean /= X.length;
  let v = 0;
  for (let i = 0; i < X.length; i++) v += (X[i] - mean) ** 2;
  v /= X.length;
  return v !== 0 ? 1 / (p * v) : 1;
}
