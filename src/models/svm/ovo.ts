/**
 * One-vs-one classification as LIBSVM's svm_train builds it: rows grouped by class (stable, classes
 * in order), one binary model per pair (i, j) with i < j in class order (class i is +1), the union
 * of their support vectors kept grouped by class, and the coefficients laid out as LIBSVM's sv_coef
 * ((classes − 1) × support vectors: the pair (i, j)'s coefficients of class i's vectors in row
 * j − 1, of class j's in row i). Prediction: pairwise decision values, LIBSVM's vote (ties to the
 * smallest class), and scikit-learn's ovr shape derived from the votes.
 */
import type { Rng } from '../../core/prng.js';
import { binaryProbability, multiclassProbability, sigmoidPredict, type BinaryTrainer } from './platt.js';
import type { TrainKernel } from '../../backend/svm/kernel.js';
import type { DecisionFunction } from './problems.js';

export interface OvoModel {
  /** Row of the training data of each support vector, grouped by class. */
  support: Int32Array;
  nSupport: Int32Array;
  /** (classes − 1) × support vectors, LIBSVM's sv_coef. */
  svCoef: Float64Array;
  rho: Float64Array;
  nIter: Int32Array;
  probA: Float64Array | null;
  probB: Float64Array | null;
}

/** Trains one binary model on rows of two classes; Cp, Cn: the bounds of class i and class j. */
export type PairTrainer = (rows: Int32Array, y: Int8Array, w: Float64Array, Cp: number, Cn: number) => Promise<DecisionFunction>;

/** `keep`: the training rows taken (positive weight), `codes` their classes; `w` weighs every row of X. */
export async function trainOvo(
  keep: Int32Array,
  codes: Int32Array,
  K: number,
  w: Float64Array,
  classC: Float64Array,
  train: PairTrainer,
  /** With probability: the PRNG of the CV folds and the kernel their held-out decisions read. */
  probability: { rng: Rng; kernel: TrainKernel } | null,
): Promise<OvoModel> {
  const l = codes.length;
  const count = new Int32Array(K),
    start = new Int32Array(K);
  for (let i = 0; i < l; i++) count[codes[i]]++;
  for (let k = 1; k < K; k++) start[k] = start[k - 1] + count[k - 1];
  const perm = new Int32Array(l),
    fill = Int32Array.from(start);
  for (let i = 0; i < l; i++) perm[fill[codes[i]]++] = i;
  const nonzero = new Uint8Array(l);
  const pairs = (K * (K - 1)) / 2;
  const fs: DecisionFunction[] = [];
  const probA = probability ? new Float64Array(pairs) : null,
    probB = probability ? new Float64Array(pairs) : null;
  let p = 0;
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) {
      const ci = count[i],
        cj = count[j];
      const rows = new Int32Array(ci + cj),
        y = new Int8Array(ci + cj),
        sw = new Float64Array(ci + cj);
      for (let k = 0; k < ci; k++) {
        rows[k] = keep[perm[start[i] + k]];
        y[k] = 1;
        sw[k] = w[rows[k]];
      }
      for (let k = 0; k < cj; k++) {
        rows[ci + k] = keep[perm[start[j] + k]];
        y[ci + k] = -1;
        sw[ci + k] = w[rows[ci + k]];
      }
      if (probability && probA && probB) {
        const binary: BinaryTrainer = (r, yy, ww) => train(r, yy, ww, classC[i], classC[j]);
        [probA[p], probB[p]] = await binaryProbability(probability.kernel, rows, y, sw, binary, probability.rng);
      }
      const f = await train(rows, y, sw, classC[i], classC[j]);
      for (let k = 0; k < ci; k++) if (f.coef[k] !== 0) nonzero[start[i] + k] = 1;
      for (let k = 0; k < cj; k++) if (f.coef[ci + k] !== 0) nonzero[start[j] + k] = 1;
      fs.push(f);
      p++;
    }
  }
  const nSupport = new Int32Array(K);
  let total = 0;
  for (let k = 0; k < K; k++) for (let t = 0; t < count[k]; t++) if (nonzero[start[k] + t]) nSupport[k]++;
  for (let k = 0; k < K; k++) total += nSupport[k];
  const support = new Int32Array(total);
  for (let i = 0, q = 0; i < l; i++) if (nonzero[i]) support[q++] = keep[perm[i]];
  const nzStart = new Int32Array(K);
  for (let k = 1; k < K; k++) nzStart[k] = nzStart[k - 1] + nSupport[k - 1];
  const svCoef = new Float64Array((K - 1) * total);
  p = 0;
  for (let i = 0; i < K; i++) {
    for (let j = i + 1; j < K; j++) {
      const f = fs[p++],
        ci = count[i],
        cj = count[j];
      let q = nzStart[i];
      for (let k = 0; k < ci; k++) if (nonzero[start[i] + k]) svCoef[(j - 1) * total + q++] = f.coef[k];
      q = nzStart[j];
      for (let k = 0; k < cj; k++) if (nonzero[start[j] + k]) svCoef[i * total + q++] = f.coef[ci + k];
    }
  }
  return {
    support,
    nSupport,
    svCoef,
    rho: Float64Array.from(fs, (f) => f.rho),
    nIter: Int32Array.from(fs, (f) => f.nIter),
    probA,
    probB,
  };
}

/** LIBSVM's pairwise decision values (rows × pairs; positive favours the pair's first class) from kernel values (rows × nSV). */
export function ovoDecision(kv: Float64Array, rows: number, nSupport: Int32Array, svCoef: Float64Array, rho: Float64Array): Float64Array {
  const K = nSupport.length,
    m = kv.length / rows,
    pairs = rho.length;
  const start = new Int32Array(K);
  for (let k = 1; k < K; k++) start[k] = start[k - 1] + nSupport[k - 1];
  const out = new Float64Array(rows * pairs);
  for (let r = 0; r < rows; r++) {
    const o = r * m;
    let p = 0;
    for (let i = 0; i < K; i++) {
      for (let j = i + 1; j < K; j++) {
        let s = 0;
        const c1 = (j - 1) * m,
          c2 = i * m;
        for (let k = start[i]; k < start[i] + nSupport[i]; k++) s += svCoef[c1 + k] * kv[o + k];
        for (let k = start[j]; k < start[j] + nSupport[j]; k++) s += svCoef[c2 + k] * kv[o + k];
        out[r * pairs + p] = s - rho[p];
        p++;
      }
    }
  }
  return out;
}

/** LIBSVM's vote: each pair votes for i when its value is > 0, else j; the first class with the most votes wins. */
export function ovoVote(dec: Float64Array, rows: number, K: number): Int32Array {
  const pairs = (K * (K - 1)) / 2;
  const out = new Int32Array(rows),
    vote = new Int32Array(K);
  for (let r = 0; r < rows; r++) {
    vote.fill(0);
    let p = 0;
    for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) vote[dec[r * pairs + p++] > 0 ? i : j]++;
    let best = 0;
    for (let k = 1; k < K; k++) if (vote[k] > vote[best]) best = k;
    out[r] = best;
  }
  return out;
}

/** scikit-learn's _ovr_decision_function: votes plus sum of confidences / (3 (|sum| + 1)). */
export function ovrFromOvo(dec: Float64Array, rows: number, K: number): Float64Array {
  const pairs = (K * (K - 1)) / 2;
  const out = new Float64Array(rows * K),
    conf = new Float64Array(K);
  for (let r = 0; r < rows; r++) {
    conf.fill(0);
    const o = r * K;
    let p = 0;
    for (let i = 0; i < K; i++) {
      for (let j = i + 1; j < K; j++) {
        const d = dec[r * pairs + p++];
        conf[i] += d;
        conf[j] -= d;
        out[o + (d < 0 ? j : i)] += 1;
      }
    }
    for (let k = 0; k < K; k++) out[o + k] += conf[k] / (3 * (Math.abs(conf[k]) + 1));
  }
  return out;
}

/** Class probabilities (rows × K) from pairwise decision values and the pairs' sigmoids (LIBSVM's svm_predict_probability). */
export function ovoProbability(dec: Float64Array, rows: number, K: number, probA: Float64Array, probB: Float64Array): Float64Array {
  const pairs = (K * (K - 1)) / 2,
    minProb = 1e-7;
  const out = new Float64Array(rows * K),
    r = new Float64Array(K * K),
    p = new Float64Array(K);
  for (let row = 0; row < rows; row++) {
    let q = 0;
    for (let i = 0; i < K; i++) {
      for (let j = i + 1; j < K; j++) {
        const v = Math.min(Math.max(sigmoidPredict(dec[row * pairs + q], probA[q], probB[q]), minProb), 1 - minProb);
        r[i * K + j] = v;
        r[j * K + i] = 1 - v;
        q++;
      }
    }
    multiclassProbability(K, r, p);
    out.set(p, row * K);
  }
  return out;
}
