/** Reference (plain f64) kernels of the linear models: the js backend's, and the test oracle. */
import type { FloatArray } from '../../core/matrix.js';
import type {
  GramResult,
  LinearKernels,
  LogisticHessArgs,
  LogisticHessResult,
  LogisticLossArgs,
  LogisticResult,
  SgdEpochArgs,
  SvmArgs,
} from '../contract/linear.js';
import { sgdDloss, sgdLoss } from '../linear/sgd-losses.js';

/** Weighted centred cross-products in plain f64 (the oracle of the native kernel). */
export function weightedGramRef(x: FloatArray, n: number, p: number, y: Float64Array | null, t: number, w: Float64Array | null, center: boolean): GramResult {
  const xMean = new Float64Array(p),
    yMean = new Float64Array(t);
  let wSum = 0;
  for (let r = 0; r < n; r++) {
    const wr = w ? w[r] : 1;
    wSum += wr;
    for (let c = 0; c < p; c++) xMean[c] += wr * x[r * p + c];
    for (let c = 0; c < t; c++) yMean[c] += wr * y![r * t + c];
  }
  for (let c = 0; c < p; c++) xMean[c] = center && wSum > 0 ? xMean[c] / wSum : 0;
  for (let c = 0; c < t; c++) yMean[c] = center && wSum > 0 ? yMean[c] / wSum : 0;
  const gram = new Float64Array(p * p),
    xty = new Float64Array(p * t);
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
export function logisticLossGradRef(...[x, n, p, y, classes, coef, fitIntercept, w]: LogisticLossArgs): LogisticResult {
  const k = classes === 2 ? 1 : classes,
    stride = p + 1;
  const grad = new Float64Array(k * stride),
    score = new Float64Array(k);
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

/** Binary logistic loss, gradient and Hessian in plain f64 (the oracle of the native Newton kernel). */
export function logisticLossGradHessRef(...[x, n, p, y, coef, fitIntercept, w, hessian]: LogisticHessArgs): LogisticHessResult {
  const stride = p + 1;
  const grad = new Float64Array(stride),
    hess = new Float64Array(stride * stride),
    xr = new Float64Array(stride);
  xr[p] = 1;
  let loss = 0;
  for (let r = 0; r < n; r++) {
    let s = fitIntercept ? coef[p] : 0;
    for (let c = 0; c < p; c++) {
      xr[c] = x[r * p + c];
      s += coef[c] * xr[c];
    }
    const wr = w ? w[r] : 1;
    const z = y[r] === 1 ? s : -s;
    loss += wr * (z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z)));
    const e = Math.exp(-Math.abs(s));
    const prob = s >= 0 ? 1 / (1 + e) : e / (1 + e);
    const res = wr * (prob - (y[r] === 1 ? 1 : 0)),
      d = (wr * e) / ((1 + e) * (1 + e)); // p(1 − p) without cancellation
    for (let i = 0; i < stride; i++) {
      grad[i] += res * xr[i];
      if (hessian) for (let j = i; j < stride; j++) hess[i * stride + j] += d * xr[i] * xr[j];
    }
  }
  for (let i = 0; i < stride; i++) for (let j = 0; j < i; j++) hess[i * stride + j] = hess[j * stride + i];
  if (!fitIntercept) grad[p] = 0;
  return { loss, grad, hess: hessian ? hess : null };
}

/** One SGD epoch in plain f64, the same algorithm as the native kernel. */
export function sgdEpochRef(a: SgdEpochArgs): void {
  const { n, p } = a,
    stride = p + 1;
  for (let m = 0; m < a.models; m++) {
    const off = m * stride;
    let scale = 1,
      u = 0,
      t = a.t[m],
      total = 0;
    const q = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const r = a.order[i];
      let dot = 0;
      for (let c = 0; c < p; c++) dot += a.coef[off + c] * a.x[r * p + c];
      const pred = dot * scale + a.coef[off + p];
      const y = a.y[m * n + r],
        sw = a.w ? a.w[r] : 1;
      const eta = a.rate === 'optimal' ? 1 / (a.alpha * (a.optimalInit + t - 1)) : a.rate === 'invscaling' ? a.eta0 / t ** a.powerT : a.eta0;
      total += sw * sgdLoss(a.loss, pred, y, a.epsilon);
      const g = sgdDloss(a.loss, pred, y, a.epsilon) * sw;
      const l2 = a.alpha * (1 - a.l1Ratio);
      if (l2 > 0) scale *= Math.max(0, 1 - eta * l2);
      if (scale < 1e-9) {
        for (let c = 0; c < p; c++) a.coef[off + c] *= scale;
        scale = 1;
      }
      if (g !== 0) {
        const step = (-eta * g) / scale;
        for (let c = 0; c < p; c++) a.coef[off + c] += step * a.x[r * p + c];
        if (a.fitIntercept) a.coef[off + p] += -eta * g;
      }
      if (a.l1Ratio > 0) {
        u += eta * a.alpha * a.l1Ratio;
        for (let c = 0; c < p; c++) {
          const z = a.coef[off + c] * scale;
          let nz = z;
          if (z > 0) nz = Math.max(0, z - (u + q[c]));
          else if (z < 0) nz = Math.min(0, z + (u - q[c]));
          q[c] += nz - z;
          a.coef[off + c] = nz / scale;
        }
      }
      t += 1;
    }
    for (let c = 0; c < p; c++) a.coef[off + c] *= scale;
    a.t[m] = t;
    a.lossSum[m] = total;
  }
}

/** LIBLINEAR's dual coordinate descent in plain f64, the same algorithm and shuffle as the native kernel. */
export function svmDualCdRef(a: SvmArgs): void {
  const { n, p } = a,
    stride = p + 1;
  const intercept = a.interceptScaling !== 0;
  const ci = (i: number) => a.C * (a.weight ? a.weight[i] : 1);
  const diag = Float64Array.from({ length: n }, (_, i) => (a.squaredHinge ? 0.5 / ci(i) : 0));
  const upper = Float64Array.from({ length: n }, (_, i) => (a.squaredHinge ? Infinity : ci(i)));
  const xs = new Float64Array(n * stride),
    qd = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < p; c++) {
      xs[r * stride + c] = a.x[r * p + c];
      s += a.x[r * p + c] ** 2;
    }
    xs[r * stride + p] = intercept ? a.interceptScaling : 0;
    qd[r] = s + xs[r * stride + p] ** 2 + diag[r];
  }
  for (let m = 0; m < a.models; m++) {
    const off = m * stride;
    a.coef.fill(0, off, off + stride);
    const alpha = new Float64Array(n),
      order = Uint32Array.from({ length: n }, (_, i) => i);
    let state = a.seed !== 0 ? a.seed >>> 0 : 1;
    const next = () => {
      state = (state ^ (state << 13)) >>> 0;
      state = (state ^ (state >>> 17)) >>> 0;
      state = (state ^ (state << 5)) >>> 0;
      return state;
    };
    let iter = 0;
    for (; iter < a.maxIter; iter++) {
      for (let i = n; i > 1; i--) {
        const j = next() % i;
        [order[i - 1], order[j]] = [order[j], order[i - 1]];
      }
      let pgMax = -Infinity,
        pgMin = Infinity;
      for (let k = 0; k < n; k++) {
        const i = order[k],
          y = a.y[m * n + i];
        let wx = 0;
        for (let c = 0; c < stride; c++) wx += a.coef[off + c] * xs[i * stride + c];
        const g = y * wx - 1 + diag[i] * alpha[i];
        let pg = g;
        if (alpha[i] === 0) pg = Math.min(g, 0);
        else if (alpha[i] === upper[i]) pg = Math.max(g, 0);
        pgMax = Math.max(pgMax, pg);
        pgMin = Math.min(pgMin, pg);
        if (Math.abs(pg) > 1e-12 && qd[i] > 0) {
          const old = alpha[i];
          alpha[i] = Math.min(Math.max(old - g / qd[i], 0), upper[i]);
          const step = (alpha[i] - old) * y;
          for (let c = 0; c < stride; c++) a.coef[off + c] += step * xs[i * stride + c];
        }
      }
      if (pgMax - pgMin <= a.tol) {
        iter++;
        break;
      }
    }
    if (intercept) a.coef[off + p] *= a.interceptScaling;
    a.iterations[m] = iter;
  }
}

/** (x − shift) · scale per column in f64, NaN cells filled first (when fill is given). */
export function affineColumnsRef(x: FloatArray, rows: number, cols: number, shift: Float64Array, scale: Float64Array, fill: Float64Array | null): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = x[r * cols + c];
      out[r * cols + c] = ((Number.isNaN(v) && fill ? fill[c] : v) - shift[c]) * scale[c];
    }
  }
  return out;
}

/** The js backend's linear family. */
export const jsLinear: LinearKernels = {
  weightedGram: async (x, n, p, y, t, w, center) => weightedGramRef(x, n, p, y, t, w, center),
  logisticLossGrad: async (x, n, p, y, classes, coef, fitIntercept, w) => logisticLossGradRef(x, n, p, y, classes, coef, fitIntercept, w),
  logisticLossGradHess: async (...args) => logisticLossGradHessRef(...args),
  sgdEpoch: async (a) => sgdEpochRef(a),
  svmDualCd: async (a) => svmDualCdRef(a),
  affineColumns: async (x, rows, cols, shift, scale, fill) => affineColumnsRef(x, rows, cols, shift, scale, fill),
};
