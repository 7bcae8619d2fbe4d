/**
 * The MLP training loop in plain TypeScript (the js backend's, and the reference the
 * native loop is tested against): same layout, losses and optimisers as
 * native/kernels/mlp. Accumulates in f64, stores f32.
 */
import { BackendLimitError } from '../../core/errors.js';
import { type MlpData, type MlpEpochArgs, type MlpLayout, type MlpNetwork, type MlpSyncKernels, mlpLayout } from '../contract/mlp.js';

function act(f: MlpNetwork['hidden'], z: number): number {
  return f === 'relu' ? (z > 0 ? z : 0) : f === 'tanh' ? Math.tanh(z) : f === 'logistic' ? 1 / (1 + Math.exp(-z)) : z;
}
function actGrad(f: MlpNetwork['hidden'], a: number): number {
  return f === 'relu' ? (a > 0 ? 1 : 0) : f === 'tanh' ? 1 - a * a : f === 'logistic' ? a * (1 - a) : 1;
}

/** Forward pass of `rows` (indices into x); returns the activations of every layer. */
function forwardRows(net: MlpNetwork, lay: MlpLayout, x: Float32Array, rows: ArrayLike<number>): Float32Array[] {
  const L = net.sizes.length - 1,
    m = rows.length;
  const acts: Float32Array[] = [new Float32Array(m * net.sizes[0])];
  for (let r = 0; r < m; r++) acts[0].set(x.subarray(rows[r] * net.sizes[0], (rows[r] + 1) * net.sizes[0]), r * net.sizes[0]);
  for (let l = 0; l < L; l++) {
    const din = net.sizes[l],
      dout = net.sizes[l + 1],
      a = acts[l],
      z = new Float32Array(m * dout);
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < dout; c++) {
        let s = net.params[lay.b[l] + c];
        for (let k = 0; k < din; k++) s += a[r * din + k] * net.params[lay.w[l] + k * dout + c];
        z[r * dout + c] = l + 1 < L ? act(net.hidden, s) : s;
      }
      if (l + 1 === L && net.output === 'softmax') {
        let mx = -Infinity,
          sum = 0;
        for (let c = 0; c < dout; c++) mx = Math.max(mx, z[r * dout + c]);
        for (let c = 0; c < dout; c++) sum += z[r * dout + c] = Math.exp(z[r * dout + c] - mx);
        for (let c = 0; c < dout; c++) z[r * dout + c] /= sum;
      }
    }
    acts.push(z);
  }
  return acts;
}

/** Loss of the rows (mean, + alpha/2 ‖W‖² / rows) and its gradient. */
function lossGradRows(net: MlpNetwork, lay: MlpLayout, d: MlpData, rows: ArrayLike<number>, alpha: number, grad: Float32Array): number {
  const L = net.sizes.length - 1,
    m = rows.length,
    dout = net.sizes[L];
  const acts = forwardRows(net, lay, d.x, rows);
  let loss = 0;
  let delta = new Float64Array(m * dout);
  const out = acts[L];
  for (let r = 0; r < m; r++) {
    const wr = d.weights ? d.weights[rows[r]] : 1;
    for (let c = 0; c < dout; c++) {
      if (net.output === 'softmax') {
        const y = d.labels![rows[r]];
        if (c === y) loss -= wr * Math.log(Math.max(out[r * dout + c], 1e-30));
        delta[r * dout + c] = (wr * (out[r * dout + c] - (c === y ? 1 : 0))) / m;
      } else {
        const diff = out[r * dout + c] - d.targets![rows[r] * dout + c];
        loss += (wr * 0.5 * diff * diff) / dout;
        delta[r * dout + c] = (wr * diff) / (m * dout);
      }
    }
  }
  loss /= m;
  let penalty = 0;
  for (let l = L - 1; l >= 0; l--) {
    const din = net.sizes[l],
      dl = net.sizes[l + 1],
      a = acts[l];
    for (let k = 0; k < din; k++) {
      for (let c = 0; c < dl; c++) {
        let s = 0;
        for (let r = 0; r < m; r++) s += a[r * din + k] * delta[r * dl + c];
        const w = net.params[lay.w[l] + k * dl + c];
        grad[lay.w[l] + k * dl + c] = s + (alpha / m) * w;
        penalty += w * w;
      }
    }
    for (let c = 0; c < dl; c++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += delta[r * dl + c];
      grad[lay.b[l] + c] = s;
    }
    if (l === 0) break;
    const prev = new Float64Array(m * din);
    for (let r = 0; r < m; r++) {
      for (let k = 0; k < din; k++) {
        let s = 0;
        for (let c = 0; c < dl; c++) s += delta[r * dl + c] * net.params[lay.w[l] + k * dl + c];
        prev[r * din + k] = s * actGrad(net.hidden, a[r * din + k]);
      }
    }
    delta = prev;
  }
  return loss + (0.5 * alpha * penalty) / m;
}

export function mlpLossGradRef(net: MlpNetwork, d: MlpData, alpha: number): { loss: number; grad: Float32Array } {
  const lay = mlpLayout(net.sizes);
  const grad = new Float32Array(lay.total);
  const loss = lossGradRows(
    net,
    lay,
    d,
    Int32Array.from({ length: d.n }, (_, i) => i),
    alpha,
    grad,
  );
  return { loss, grad };
}

export function mlpForwardRef(net: MlpNetwork, x: Float32Array, n: number): Float32Array {
  const acts = forwardRows(
    net,
    mlpLayout(net.sizes),
    x,
    Int32Array.from({ length: n }, (_, i) => i),
  );
  return acts[acts.length - 1];
}

/** One epoch without dropout (the js backend refuses dropout > 0). */
export function mlpEpochRef(a: MlpEpochArgs): number {
  const lay = mlpLayout(a.net.sizes),
    p = a.net.params,
    grad = new Float32Array(lay.total);
  let total = 0;
  for (let start = 0; start < a.data.n; start += a.batch) {
    const rows = a.order.subarray(start, Math.min(a.data.n, start + a.batch));
    total += lossGradRows(a.net, lay, a.data, rows, a.alpha, grad) * rows.length;
    if (a.solver === 'adam') {
      const t = ++a.step[0];
      const lrT = (a.lr * Math.sqrt(1 - a.beta2 ** t)) / (1 - a.beta1 ** t);
      for (let i = 0; i < lay.total; i++) {
        a.m[i] = a.beta1 * a.m[i] + (1 - a.beta1) * grad[i];
        a.v[i] = a.beta2 * a.v[i] + (1 - a.beta2) * grad[i] * grad[i];
        p[i] -= (lrT * a.m[i]) / (Math.sqrt(a.v[i]) + a.eps);
      }
    } else {
      for (let i = 0; i < lay.total; i++) {
        a.m[i] = a.momentum * a.m[i] - a.lr * grad[i];
        p[i] += a.nesterov ? a.momentum * a.m[i] - a.lr * grad[i] : a.m[i];
      }
    }
    if (a.weightDecay > 0) {
      for (let l = 0; l + 1 < a.net.sizes.length; l++) {
        for (let i = 0; i < a.net.sizes[l] * a.net.sizes[l + 1]; i++) p[lay.w[l] + i] *= 1 - a.lr * a.weightDecay;
      }
    }
  }
  return total / a.data.n;
}

/** The js backend's mlp family. */
export const jsMlp: MlpSyncKernels = {
  async epoch(args: MlpEpochArgs): Promise<number> {
    if (args.dropout > 0) throw new BackendLimitError("js backend: dropout is not implemented in the reference loop; use backend 'native'");
    return mlpEpochRef(args);
  },
  forward: async (net, x, n) => mlpForwardRef(net, x, n),
  lossGrad: (net, data, alpha) => mlpLossGradRef(net, data, alpha),
};
