/**
 * LIBSVM's probability estimates: Platt's sigmoid fitted to decision values from an internal
 * 5-fold cross-validation (svm_binary_svc_probability, with Lin, Lin & Weng's Newton method in
 * sigmoid_train), and pairwise probabilities coupled into class probabilities by Wu, Lin & Weng's
 * method 2 (multiclass_probability). The folds are shuffled by kiln's seeded PRNG, so the values
 * follow LIBSVM's method but not scikit-learn's random stream bit for bit.
 */
import type { Rng } from '../../core/prng.js';
import type { TrainKernel } from '../../backend/svm/kernel.js';
import type { DecisionFunction } from './problems.js';

/** Trains one binary model on the given rows (labels ±1, weights) — the solver of the estimator. */
export type BinaryTrainer = (rows: Int32Array, y: Int8Array, w: Float64Array) => Promise<DecisionFunction>;

/** [A, B] of P(y = +1 | f) = 1 / (1 + exp(A·f + B)) from 5-fold decision values. */
export async function binaryProbability(
  kernel: TrainKernel,
  rows: Int32Array,
  y: Int8Array,
  w: Float64Array,
  train: BinaryTrainer,
  rng: Rng,
): Promise<[number, number]> {
  const l = rows.length,
    folds = 5;
  const perm = new Int32Array(l);
  for (let i = 0; i < l; i++) perm[i] = i;
  for (let i = 0; i < l; i++) {
    const j = i + rng.int(l - i);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const dec = new Float64Array(l);
  for (let f = 0; f < folds; f++) {
    const begin = Math.floor((f * l) / folds),
      end = Math.floor(((f + 1) * l) / folds);
    const m = l - (end - begin);
    const subRows = new Int32Array(m),
      subY = new Int8Array(m),
      subW = new Float64Array(m);
    let k = 0,
      pos = 0;
    for (let j = 0; j < l; j++) {
      if (j >= begin && j < end) continue;
      subRows[k] = rows[perm[j]];
      subY[k] = y[perm[j]];
      subW[k] = w[perm[j]];
      if (subY[k] > 0) pos++;
      k++;
    }
    if (pos === 0 || pos === m) {
      for (let j = begin; j < end; j++) dec[perm[j]] = m === 0 ? 0 : pos > 0 ? 1 : -1;
      continue;
    }
    const df = await train(subRows, subY, subW);
    const kv = new Float64Array(m);
    for (let j = begin; j < end; j++) {
      kernel.rowInto(rows[perm[j]], subRows, 0, m, kv);
      let s = 0;
      for (let t = 0; t < m; t++) s += df.coef[t] * kv[t];
      dec[perm[j]] = s - df.rho;
    }
  }
  return sigmoidTrain(dec, y);
}

/** Platt's sigmoid by Newton's method with backtracking (LIBSVM's sigmoid_train). */
export function sigmoidTrain(dec: Float64Array, labels: ArrayLike<number>): [number, number] {
  const l = dec.length;
  let prior1 = 0,
    prior0 = 0;
  for (let i = 0; i < l; i++) {
    if (labels[i] > 0) prior1++;
    else prior0++;
  }
  const maxIter = 100,
    minStep = 1e-10,
    sigma = 1e-12,
    eps = 1e-5;
  const hi = (prior1 + 1) / (prior1 + 2),
    lo = 1 / (prior0 + 2);
  const t = new Float64Array(l);
  let A = 0,
    B = Math.log((prior0 + 1) / (prior1 + 1));
  const objective = (a: number, b: number): number => {
    let f = 0;
    for (let i = 0; i < l; i++) {
      const z = dec[i] * a + b;
      f += z >= 0 ? t[i] * z + Math.log(1 + Math.exp(-z)) : (t[i] - 1) * z + Math.log(1 + Math.exp(z));
    }
    return f;
  };
  for (let i = 0; i < l; i++) t[i] = labels[i] > 0 ? hi : lo;
  let fval = objective(A, B);
  for (let iter = 0; iter < maxIter; iter++) {
    let h11 = sigma,
      h22 = sigma,
      h21 = 0,
      g1 = 0,
      g2 = 0;
    for (let i = 0; i < l; i++) {
      const z = dec[i] * A + B;
      let p: number, q: number;
      if (z >= 0) {
        p = Math.exp(-z) / (1 + Math.exp(-z));
        q = 1 / (1 + Math.exp(-z));
      } else {
        p = 1 / (1 + Math.exp(z));
        q = Math.exp(z) / (1 + Math.exp(z));
      }
      const d2 = p * q;
      h11 += dec[i] * dec[i] * d2;
      h22 += d2;
      h21 += dec[i] * d2;
      const d1 = t[i] - p;
      g1 += dec[i] * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < eps && Math.abs(g2) < eps) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det,
      dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= minStep) {
      const nA = A + step * dA,
        nB = B + step * dB;
      const nf = objective(nA, nB);
      if (nf < fval + 0.0001 * step * gd) {
        A = nA;
        B = nB;
        fval = nf;
        break;
      }
      step /= 2;
    }
    if (step < minStep) break;
  }
  return [A, B];
}

export function sigmoidPredict(f: number, A: number, B: number): number {
  const z = f * A + B;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}

/** Class probabilities p (length k) from pairwise r[i·k + j] = P(i | i or j) (LIBSVM's multiclass_probability). */
export function multiclassProbability(k: number, r: Float64Array, p: Float64Array): void {
  const maxIter = Math.max(100, k),
    eps = 0.005 / k;
  const Q = new Float64Array(k * k),
    Qp = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    p[t] = 1 / k;
    Q[t * k + t] = 0;
    for (let j = 0; j < t; j++) {
      Q[t * k + t] += r[j * k + t] * r[j * k + t];
      Q[t * k + j] = Q[j * k + t];
    }
    for (let j = t + 1; j < k; j++) {
      Q[t * k + t] += r[j * k + t] * r[j * k + t];
      Q[t * k + j] = -r[j * k + t] * r[t * k + j];
    }
  }
  for (let iter = 0; iter < maxIter; iter++) {
    let pQp = 0;
    for (let t = 0; t < k; t++) {
      Qp[t] = 0;
      for (let j = 0; j < k; j++) Qp[t] += Q[t * k + j] * p[j];
      pQp += p[t] * Qp[t];
    }
    let maxError = 0;
    for (let t = 0; t < k; t++) maxError = Math.max(maxError, Math.abs(Qp[t] - pQp));
    if (maxError < eps) break;
    for (let t = 0; t < k; t++) {
      const diff = (-Qp[t] + pQp) / Q[t * k + t];
      p[t] += diff;
      pQp = (pQp + diff * (diff * Q[t * k + t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
      for (let j = 0; j < k; j++) {
        Qp[j] = (Qp[j] + diff * Q[t * k + j]) / (1 + diff);
        p[j] /= 1 + diff;
      }
    }
  }
}
