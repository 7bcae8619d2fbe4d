/**
 * scikit-learn's SGD losses and their derivatives in the prediction, as one definition: the js
 * kernel's epoch uses both, and SGD's 'optimal' learning rate needs dloss (native/kernels/linear
 * has the C++ twin).
 */
import type { SgdLossName } from '../contract/linear.js';

/** Derivative of an SGD loss with respect to the prediction p (scikit-learn's dloss). */
export function sgdDloss(loss: SgdLossName, p: number, y: number, eps: number): number {
  const z = p * y,
    r = p - y;
  switch (loss) {
    case 'hinge':
      return z <= 1 ? -y : 0;
    case 'squared_hinge':
      return z < 1 ? -2 * y * (1 - z) : 0;
    case 'log_loss':
      return z > 18 ? -y * Math.exp(-z) : z < -18 ? -y : -y / (1 + Math.exp(z));
    case 'modified_huber':
      return z >= 1 ? 0 : z >= -1 ? -2 * y * (1 - z) : -4 * y;
    case 'squared_error':
      return r;
    case 'huber':
      return Math.abs(r) <= eps ? r : r > 0 ? eps : -eps;
  }
}

export function sgdLoss(loss: SgdLossName, p: number, y: number, eps: number): number {
  const z = p * y,
    r = p - y;
  switch (loss) {
    case 'hinge':
      return Math.max(0, 1 - z);
    case 'squared_hinge':
      return z < 1 ? (1 - z) ** 2 : 0;
    case 'log_loss':
      return z > 18 ? Math.exp(-z) : z < -18 ? -z : Math.log1p(Math.exp(-z));
    case 'modified_huber':
      return z >= 1 ? 0 : z >= -1 ? (1 - z) ** 2 : -4 * z;
    case 'squared_error':
      return 0.5 * r * r;
    case 'huber':
      return Math.abs(r) <= eps ? 0.5 * r * r : eps * Math.abs(r) - 0.5 * eps * eps;
  }
}
