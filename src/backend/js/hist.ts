/**
 * Plain TypeScript versions of the hist engine's binning, gradients and forest prediction:
 * the js backend's kernels and the oracle the native ones are tested against. Tree growth is
 * in hist-grow.ts.
 */
import type { FloatArray } from '../../core/matrix.js';
import type { HistBinSpec, HistLoss, HistPredictArgs, HistSyncKernels } from '../contract/hist.js';
import { histLeafOf, nodeWords } from '../hist/forest-walk.js';
import { binSampleJs } from '../hist/bin-sample.js';
import { quantizeGradientsJs } from '../hist/quantize.js';
import { gossKeysJs, sampleRowsJs } from '../hist/sample.js';
import { histGrowRef } from './hist-grow.js';
import { histRankGradientsRef } from './hist-rank.js';

export function histBinRef(x: FloatArray, n: number, p: number, spec: HistBinSpec): Uint8Array {
  const out = new Uint8Array(n * p);
  for (let r = 0; r < n; r++) {
    for (let f = 0; f < p; f++) {
      const v = x[r * p + f];
      if (Number.isNaN(v)) continue;
      if (spec.categorical[f]) {
        const size = spec.catOffset[f + 1] - spec.catOffset[f];
        out[r * p + f] = Number.isInteger(v) && v >= 0 && v < size ? spec.catTable[spec.catOffset[f] + v] : 0;
      } else {
        let lo = spec.edgeOffset[f],
          hi = spec.edgeOffset[f + 1];
        const first = lo;
        while (lo < hi) {
          // first edge >= v
          const mid = (lo + hi) >> 1;
          if (spec.edges[mid] < v) lo = mid + 1;
          else hi = mid;
        }
        out[r * p + f] = 1 + lo - first;
      }
    }
  }
  return out;
}

const MIN_HESSIAN = 1e-16;
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

export function histGradientsRef(
  loss: HistLoss,
  n: number,
  k: number,
  y: Float64Array,
  scores: Float64Array,
  w: Float64Array | null,
  lossParam: number,
  gh: Float64Array,
): number {
  let total = 0;
  const prob = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    const s = scores[i * k];
    if (loss === 'logistic') {
      const pr = sigmoid(s);
      gh[2 * i] = wi * (pr - y[i]);
      gh[2 * i + 1] = wi * Math.max(pr * (1 - pr), MIN_HESSIAN);
      total += wi * (softplus(s) - y[i] * s);
    } else if (loss === 'softmax') {
      let mx = -Infinity,
        sum = 0;
      for (let c = 0; c < k; c++) mx = Math.max(mx, scores[i * k + c]);
      for (let c = 0; c < k; c++) sum += prob[c] = Math.exp(scores[i * k + c] - mx);
      for (let c = 0; c < k; c++) {
        const pr = prob[c] / sum;
        gh[2 * (c * n + i)] = wi * (pr - (c === y[i] ? 1 : 0));
        gh[2 * (c * n + i) + 1] = wi * Math.max(pr * (1 - pr), MIN_HESSIAN);
      }
      total += wi * (mx + Math.log(sum) - scores[i * k + y[i]]);
    } else if (loss === 'quantile') {
      // pinball loss; scikit-learn's gradient (-alpha where y >= s), unit hessian: leaves are refitted
      const alpha = lossParam,
        r = y[i] - s,
        above = r >= 0;
      gh[2 * i] = wi * (above ? -alpha : 1 - alpha);
      gh[2 * i + 1] = wi;
      total += wi * (above ? alpha * r : (alpha - 1) * r);
    } else if (loss === 'poisson') {
      const mu = Math.exp(s);
      gh[2 * i] = wi * (mu - y[i]);
      gh[2 * i + 1] = wi * Math.max(mu, MIN_HESSIAN);
      total += wi * (mu - y[i] * s);
    } else if (loss === 'gamma') {
      const t = y[i] * Math.exp(-s);
      gh[2 * i] = wi * (1 - t);
      gh[2 * i + 1] = wi * Math.max(t, MIN_HESSIAN);
      total += wi * (s + t);
    } else if (loss === 'tweedie') {
      const rho = lossParam,
        e1 = Math.exp((1 - rho) * s),
        e2 = Math.exp((2 - rho) * s);
      gh[2 * i] = wi * (e2 - y[i] * e1);
      gh[2 * i + 1] = wi * Math.max((2 - rho) * e2 - (1 - rho) * y[i] * e1, MIN_HESSIAN);
      total += wi * (e2 / (2 - rho) - (y[i] * e1) / (1 - rho));
    } else {
      const r = s - y[i];
      gh[2 * i + 1] = wi;
      if (loss === 'squared_error') {
        gh[2 * i] = wi * r;
        total += 0.5 * wi * r * r;
      } else if (loss === 'absolute_error') {
        gh[2 * i] = wi * Math.sign(r);
        total += wi * Math.abs(r);
      } else {
        const d = lossParam,
          small = Math.abs(r) <= d;
        gh[2 * i] = wi * (small ? r : Math.sign(r) * d);
        total += wi * (small ? 0.5 * r * r : d * (Math.abs(r) - 0.5 * d));
      }
    }
  }
  return total;
}

export function histPredictRef(a: HistPredictArgs): void {
  const f = a.forest,
    span = a.treeEnd - a.treeBegin,
    C = f.channels,
    words = nodeWords(f.nodes);
  for (let r = 0; r < a.n; r++) {
    for (let t = a.treeBegin; t < a.treeEnd; t++) {
      const leaf = histLeafOf(f, words, f.roots[t], a.x, r * a.p);
      if (a.leafIndex) a.leafIndex[r * span + t - a.treeBegin] = leaf;
      if (a.out) {
        const o = r * a.outCols + f.treeColumn[t],
          w = f.treeWeight[t];
        for (let c = 0; c < C; c++) a.out[o + c] += w * f.value[leaf * C + c];
      }
    }
  }
}

/** The js backend's hist family. */
export const jsHist: HistSyncKernels = {
  bin: async (x, n, p, spec) => ({ bins: histBinRef(x, n, p, spec), columns: null }),
  binSample: binSampleJs,
  gradients: async (loss, n, k, y, scores, w, lossParam, gradHess, gossKeys) => {
    const sum = histGradientsRef(loss, n, k, y, scores, w, lossParam, gradHess);
    if (gossKeys) gossKeysJs(gradHess, n, k, gossKeys);
    return sum;
  },
  rankGradients: async (args) => histRankGradientsRef(args),
  grow: async (args) => histGrowRef(args),
  predict: async (args) => histPredictRef(args),
  predictSync: histPredictRef,
  rowPredictor(forest, p, outCols) {
    const row = new Float64Array(p),
      scores = new Float64Array(outCols);
    const args = { x: row, n: 1, p, forest, treeBegin: 0, treeEnd: forest.roots.length, out: scores, outCols, leafIndex: null };
    return { row, scores, run: () => histPredictRef(args) };
  },
  quantize: quantizeGradientsJs,
  sampleRows: async (a) => sampleRowsJs(a),
};
