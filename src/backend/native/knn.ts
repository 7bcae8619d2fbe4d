/**
 * The native knn family. A base that fits the memory budget is packed once at index time
 * (panels for the GEMM tiles, norms) and reused by every search; a larger one is packed chunk
 * by chunk within the budget at each search.
 */
import { KNN_METRICS, type KnnIndex, type KnnKernels } from '../contract/knn.js';
import { callNative, INLINE_MAX_FLOPS, type NativeAddon } from './addon.js';

interface NativeKnnIndex extends KnnIndex {
  budgetBytes: number;
  prepared?: { packed: Float32Array; sqnorm: Float32Array; norms: Float64Array };
}

type Alloc = (length: number, opts: { overwritten?: boolean }) => Float32Array;

export function nativeKnn(addon: NativeAddon, alloc: Alloc): KnnKernels {
  return {
    async index(base, n, d, metric, budgetBytes) {
      const index: NativeKnnIndex = { backend: 'native', base, n, d, metric, budgetBytes, dispose() {} };
      const layout = addon.knnLayoutSync(n, d);
      const bytes = layout.packedFloats * 4 + layout.paddedPoints * 4 + n * 8;
      if (metric !== 'manhattan' && bytes <= budgetBytes) {
        const packed = alloc(layout.packedFloats, { overwritten: true });
        const sqnorm = new Float32Array(layout.paddedPoints);
        const norms = new Float64Array(n);
        await callNative('knnPrepare', () => addon.knnPrepare(base, n, d, KNN_METRICS.indexOf(metric), packed, sqnorm, norms));
        index.prepared = { packed, sqnorm, norms };
      }
      return index;
    },
    async search(index, queries, nq, k, excludeSelf) {
      const ix = index as NativeKnnIndex;
      const distances = new Float64Array(nq * k),
        indices = new Int32Array(nq * k);
      const p = ix.prepared;
      const args = [
        ix.base,
        ix.n,
        ix.d,
        queries,
        nq,
        k,
        KNN_METRICS.indexOf(ix.metric),
        excludeSelf,
        ix.budgetBytes,
        distances,
        indices,
        p?.packed,
        p?.sqnorm,
        p?.norms,
      ] as const;
      if (2 * nq * ix.n * ix.d <= INLINE_MAX_FLOPS) callNative('knnSearch', () => addon.knnSearchSync(...args));
      else await callNative('knnSearch', () => addon.knnSearch(...args));
      return { distances, indices };
    },
  };
}
