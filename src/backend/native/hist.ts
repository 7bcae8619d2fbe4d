/** The native hist family: the C++ hist engine (native/kernels/hist). */
import { HIST_LOSSES, type HistPredictArgs, type HistSyncKernels, type QuantizedGradients } from '../contract/hist.js';
import { takeScratch } from '../hist/quantize.js';
import { callNative, INLINE_MAX_ELEMENTS, type NativeAddon } from './addon.js';

/** Forests prepared for synchronous prediction, by their packed node array (freed with it). */
const preparedForests = new WeakMap<Float64Array, { handle: object; p: number; outCols: number }>();

export function nativeHist(addon: NativeAddon): HistSyncKernels {
  const predictSync = (a: HistPredictArgs): void => {
    const out = a.out;
    if (out && !a.leafIndex && a.treeBegin === 0 && a.treeEnd === a.forest.roots.length) {
      // Whole-forest scores: a forest checked and copied into native memory once, so a
      // single row costs one short call (the latency path of predictSync).
      let prepared = preparedForests.get(a.forest.nodes);
      if (!prepared || prepared.p !== a.p || prepared.outCols !== a.outCols) {
        const handle = callNative('histForestPrepare', () => addon.histForestPrepare(a.forest, a.p, a.outCols));
        preparedForests.set(a.forest.nodes, (prepared = { handle, p: a.p, outCols: a.outCols }));
      }
      const { handle } = prepared;
      callNative('histForestPredict', () => addon.histForestPredictSync(handle, a.x, a.n, out));
      return;
    }
    callNative('histPredict', () => addon.histPredictSync(a.x, a.n, a.p, a.forest, a.treeBegin, a.treeEnd, a.out, a.outCols, a.leafIndex));
  };
  return {
    predictSync,
    quantize: nativeQuantizer(addon),
    async bin(x, n, p, spec) {
      const out = new Uint8Array(n * p),
        columns = new Uint8Array(n * p);
      const args = [x, n, p, spec.edges, spec.edgeOffset, spec.categorical, spec.catTable, spec.catOffset, out, columns] as const;
      if (n * p <= INLINE_MAX_ELEMENTS) callNative('histBin', () => addon.histBinSync(...args));
      else await callNative('histBin', () => addon.histBin(...args));
      return { bins: out, columns };
    },
    async gradients(loss, n, k, y, scores, w, lossParam, gradHess) {
      const sum = new Float64Array(1);
      const args = [HIST_LOSSES.indexOf(loss), n, k, y, scores, w, lossParam, gradHess, sum] as const;
      if (n * k <= INLINE_MAX_ELEMENTS) callNative('histGradients', () => addon.histGradientsSync(...args));
      else await callNative('histGradients', () => addon.histGradients(...args));
      return sum[0];
    },
    async rankGradients(a) {
      const sum = new Float64Array(1);
      const args = [a.n, a.y, a.scores, a.queryOffset, a.sigma, a.truncation, a.norm, a.evalAt, a.gradHess, sum] as const;
      if (a.n <= INLINE_MAX_ELEMENTS) callNative('histRankGradients', () => addon.histRankGradientsSync(...args));
      else await callNative('histRankGradients', () => addon.histRankGradients(...args));
      return sum[0];
    },
    async grow(args) {
      if ((args.rows?.length ?? args.n) * args.p <= INLINE_MAX_ELEMENTS) callNative('histGrow', () => addon.histGrowSync(args));
      else await callNative('histGrow', () => addon.histGrow(args));
    },
    async predict(a) {
      if (a.n * (a.treeEnd - a.treeBegin) <= INLINE_MAX_ELEMENTS / 8) return predictSync(a);
      await callNative('histPredict', () => addon.histPredict(a.x, a.n, a.p, a.forest, a.treeBegin, a.treeEnd, a.out, a.outCols, a.leafIndex));
    },
  };
}

/** The native quantiser (quantize.h, multithreaded): the integers the native grower uses. */
export function nativeQuantizer(addon: NativeAddon): HistSyncKernels['quantize'] {
  return (gradHess: Float64Array, rows: Int32Array | null, n: number, seed: number): QuantizedGradients => {
    const m = rows ? rows.length : n,
      gh = takeScratch(m),
      info = new Float64Array(4);
    callNative('histQuantize', () => addon.histQuantizeSync(gradHess, n, rows, seed, gh, info));
    return { gh, G: info[0], H: info[1], gScale: info[2], hScale: info[3] };
  };
}
