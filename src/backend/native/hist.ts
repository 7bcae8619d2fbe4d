/** The native hist family: the C++ hist engine (native/kernels/hist). */
import { HIST_LOSSES, type HistForest, type HistPredictArgs, type HistRowPredictor, type HistSyncKernels, type QuantizedGradients } from '../contract/hist.js';
import { takeScratch } from '../hist/quantize.js';
import { fromNativeError } from '../../core/errors.js';
import { callNative, INLINE_MAX_ELEMENTS, type NativeAddon } from './addon.js';

/** Forests prepared for synchronous prediction, by their packed node array (freed with it). */
const preparedForests = new WeakMap<Float64Array, { handle: object; p: number; outCols: number; row?: HistRowPredictor }>();

export function nativeHist(addon: NativeAddon): HistSyncKernels {
  /** A forest checked and copied into native memory once (with its single-row scorer). */
  const prepared = (forest: HistForest, p: number, outCols: number) => {
    let entry = preparedForests.get(forest.nodes);
    if (!entry || entry.p !== p || entry.outCols !== outCols) {
      const handle = callNative('histForestPrepare', () => addon.histForestPrepare(forest, p, outCols));
      preparedForests.set(forest.nodes, (entry = { handle, p, outCols }));
    }
    return entry;
  };
  const prepare = (forest: HistForest, p: number, outCols: number): object => prepared(forest, p, outCols).handle;
  const predictSync = (a: HistPredictArgs): void => {
    const out = a.out;
    if (out && !a.leafIndex && a.treeBegin === 0 && a.treeEnd === a.forest.roots.length) {
      // Whole-forest scores on the prepared forest: a few rows cost one short call.
      const handle = prepare(a.forest, a.p, a.outCols);
      callNative('histForestPredict', () => addon.histForestPredictSync(handle, a.x, a.n, out));
      return;
    }
    callNative('histPredict', () => addon.histPredictSync(a.x, a.n, a.p, a.forest, a.treeBegin, a.treeEnd, a.out, a.outCols, a.leafIndex));
  };
  return {
    predictSync,
    rowPredictor(forest, p, outCols) {
      // One predictor per prepared forest: the handle holds one bound buffer.
      const entry = prepared(forest, p, outCols);
      if (entry.row) return entry.row;
      const { handle } = entry,
        buffer = new Float64Array(p + outCols);
      callNative('histForestBindRow', () => addon.histForestBindRow(handle, buffer));
      const run = (): void => {
        try {
          addon.histForestPredictRow(handle);
        } catch (e) {
          throw fromNativeError(e, 'native histForestPredictRow');
        }
      };
      return (entry.row = { row: buffer.subarray(0, p), scores: buffer.subarray(p), run });
    },
    quantize: nativeQuantizer(addon),
    async sampleRows(a) {
      const out = a.out ?? new Int32Array(a.n),
        count = new Float64Array(1);
      const args = [a.gradHess, a.n, a.k, a.strategy === 'goss', a.rate, a.topRate, a.otherRate, a.seed, out, count, a.keys ?? undefined] as const;
      if (a.n * a.k <= INLINE_MAX_ELEMENTS) callNative('histSampleRows', () => addon.histSampleRowsSync(...args));
      else await callNative('histSampleRows', () => addon.histSampleRows(...args));
      return out.subarray(0, count[0]);
    },
    binSample(x, n, p, features, state, k) {
      const values = new Float64Array(features.length * k),
        counts = new Int32Array(features.length);
      callNative('histBinSample', () => addon.histBinSampleSync(x, n, p, features, state, k, values, counts));
      return { values, counts };
    },
    async bin(x, n, p, spec) {
      const out = new Uint8Array(n * p),
        columns = new Uint8Array(n * p);
      const args = [x, n, p, spec.edges, spec.edgeOffset, spec.categorical, spec.catTable, spec.catOffset, out, columns] as const;
      if (n * p <= INLINE_MAX_ELEMENTS) callNative('histBin', () => addon.histBinSync(...args));
      else await callNative('histBin', () => addon.histBin(...args));
      return { bins: out, columns };
    },
    async gradients(loss, n, k, y, scores, w, lossParam, gradHess, gossKeys) {
      const sum = new Float64Array(1);
      const args = [HIST_LOSSES.indexOf(loss), n, k, y, scores, w, lossParam, gradHess, sum, gossKeys ?? undefined] as const;
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
