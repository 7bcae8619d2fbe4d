/** Reference (plain f64) kernels of the linear models: the js backend's, and the test oracle. */
import type { FloatArray } from '../core/matrix.js';
import type { GramResult, LogisticResult } from './backend.js';

/** Weighted centred cross-products in plain f64 (the oracle of the native kernel). */
export function weightedGramRef(x: FloatArray, n: number, p: number, y: Float64Array | null, t: number,
                                w: Float64Array | null, center: boolean): GramResult {
  const xMean = new Float64Array(p), yMean = new Float64Array(t);
  let wSum = 0;
  for (let r = 0; r < n; r++) {
    const wr = w ? w[r] : 1;
    wSum += wr;
    for (let c = 0; c < p; c++) xMean[c] += wr * x[r * p + c];
    for (let c = 0; c < t; c++) yMean[c] += wr * y![r * t + c];
  }
  for (let c = 0; c < p; c++) xMean[c] = center && wSum > 0 ? xMean[c] / wSum : 0;
  for (let c = 0; c < t; c++) yMean[c] = center && wSum > 0 ? yMean[c] / wSum : 0;
  const gram = new Float64Array(p * p), xty = new Float64Array(p * t);
  const xc = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const wr = w ? w[r] : 1;
    for (let c = 0; c < p; c++) xc[c] = x[r * p + c] - xMean[c];
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) gram[i * p + j] += wr * xc[i] * xc[j];
      for (let c = 0; c < t; c++) xty[i * t + c] += wr * xc[i] * (y![r * t + c] - yMean[c]);
    }
  }
  return { xMean, yMean, gram, xty, wSum };
}

/** Logistic loss and gradient in plain f64 (the oracle of the native kernel). */
export function logisticLossGradRef(x: FloatArray, n: number, p: number, y: Int32Array, classes: number,
                                    coef: Float64Array, fitIntercept: boolean, w: Float64Array | null): LogisticResult {
  const k = classes === 2 ? 1 : classes, stride = p + 1;
  const grad = new Float64Array(k * stride), score = new Float64Array(k);
  let loss = 0;
  for (let r = 0; r < n; r++) {
    for (let q = 0; q < k; q++) {
      let s = fitIntercept ? coef[q * stride + p] : 0;
      for (let c = 0; c < p; c++) s += coef[q * stride + c] * x[r * p + c];
      score[q] = s;
    }
    const wr = w ? w[r] : 1;
    if (k === 1) {
      const z = y[r] === 1 ? score[0] : -score[0];
      loss += wr * (z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z)));
      score[0] = 1 / (1 + Math.exp(-score[0])) - (y[r] === 1 ? 1 : 0);
    } else {
      let mx = -Infinity;
      for (let q = 0; q < k; q++) mx = Math.max(mx, score[q]);
      let se = 0;
      for (let q = 0; q < k; q++) se += Math.exp(score[q] - mx);
      const lse = mx + Math.log(se);
      loss += wr * (lse - score[y[r]]);
      for (let q = 0; q < k; q++) score[q] = Math.exp(score[q] - lse) - (y[r] === q ? 1 : 0);
    }
    for (let q = 0; q < k; q++) {
      for (let c = 0; c < p; c++) grad[q * stride + c] += wr * score[q] * x[r * p + c];
      if (fitIntercept) grad[q * stride + p] += wr * score[q];
    }
  }
  return { loss, grad };
}

