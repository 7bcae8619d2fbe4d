/**
 * The webgpu knn family: the base stays resident on the device; each search selects candidates
 * with an f32 GEMM tile and a WGSL selection, and the host re-ranks them exactly in f64
 * (js/knn.ts's refineQuery), so results match the CPU backends.
 */
import { BackendLimitError } from '../../core/errors.js';
import type { FloatArray } from '../../core/matrix.js';
import type { KnnIndex, KnnKernels, KnnMetric, KnnResult } from '../contract/knn.js';
import { radiusScan, refineQuery, type ExactContext } from '../js/knn.js';
import { rowNorms64 } from '../knn/exact-order.js';
import type { GpuHost } from './host.js';
import * as kern from './kernels.js';
import type { GpuRunner } from './runner.js';

interface GpuKnnIndex extends KnnIndex {
  norms: Float64Array;
  maxNorm: number;
  runner: GpuRunner;
  buffers: { rows: GPUBuffer; xn: GPUBuffer };
}

export function gpuKnn(host: GpuHost): KnnKernels {
  return {
    /**
     * Uploads the base once (f32, rows normalised for cosine) with its squared norms:
     * it stays resident on the device across searches until dispose().
     */
    async index(base: FloatArray, n: number, d: number, metric: KnnMetric): Promise<KnnIndex> {
      if (metric === 'manhattan') {
        throw new BackendLimitError("webgpu k-NN has no manhattan kernel; use backend 'native' or 'js' for metric 'manhattan'");
      }
      const r = await host.runner();
      const norms = rowNorms64(base, n, d);
      const rows = new Float32Array(n * d);
      const xn = new Float32Array(n);
      for (let j = 0; j < n; j++) {
        const scale = metric === 'cosine' && norms[j] > 0 ? 1 / norms[j] : 1;
        let s = 0;
        for (let c = 0; c < d; c++) {
          const v = Math.fround(base[j * d + c] * scale);
          rows[j * d + c] = v;
          s += v * v;
        }
        xn[j] = s;
      }
      const buffers = await r.ctx.guarded('knnIndex', () => ({ rows: r.upload('k-NN base', rows), xn: r.upload('k-NN norms', xn) }));
      let released = false;
      const index: GpuKnnIndex = {
        backend: 'webgpu',
        base,
        n,
        d,
        metric,
        norms,
        maxNorm: norms.reduce((a, b) => Math.max(a, b), 0),
        runner: r,
        buffers,
        dispose() {
          if (released) return;
          released = true;
          r.release(buffers.rows, buffers.xn);
        },
      };
      return index;
    },

    async search(index: KnnIndex, queries: FloatArray, nq: number, k: number, excludeSelf: boolean): Promise<KnnResult> {
      const ix = index as GpuKnnIndex;
      const r = await host.runner();
      if (r !== ix.runner) throw new BackendLimitError('webgpu: the device was re-created since this k-NN index was built; fit again');
      const { n, d, metric } = ix;
      const eligible = excludeSelf ? n - 1 : n;
      const cap = Math.min(eligible, k + Math.max(8, k >> 1));
      if (cap > 512) throw new BackendLimitError(`webgpu k-NN supports k up to 340 (got ${k}); use the native backend`);
      const queryNorms = rowNorms64(queries, nq, d);
      const q32 = new Float32Array(nq * d);
      for (let q = 0; q < nq; q++) {
        const scale = metric === 'cosine' && queryNorms[q] > 0 ? 1 / queryNorms[q] : 1;
        for (let c = 0; c < d; c++) q32[q * d + c] = queries[q * d + c] * scale;
      }
      const l2 = metric === 'euclidean' || metric === 'sqeuclidean';
      // Chunks of base points: multiples of 64 so each starts at an aligned byte offset.
      const chunk = Math.min(Math.ceil(n / 64) * 64, Math.max(64, Math.floor(r.maxBindingBytes / (4 * Math.max(d, 1024)) / 64) * 64), 8192);
      const batch = Math.max(1, Math.min(nq, Math.floor(r.maxBindingBytes / (chunk * 4)), 4096));
      const out: KnnResult = { distances: new Float64Array(nq * k), indices: new Int32Array(nq * k) };
      const ctx: ExactContext = { metric, base: ix.base, n, d, baseNorms: ix.norms, queries, queryNorms, k, excludeSelf };
      for (let q0 = 0; q0 < nq; q0 += batch) {
        const nb = Math.min(batch, nq - q0);
        const lists = await host.run('knnSearch', async (rr, keep) => {
          const qb = keep(rr.upload('k-NN queries', q32.subarray(q0 * d, (q0 + nb) * d)));
          const tile = keep(rr.alloc('k-NN tile', nb * chunk * 4));
          const lists = {
            key: keep(rr.alloc('k-NN candidates', nb * cap * 4)),
            idx: keep(rr.alloc('k-NN candidates', nb * cap * 4)),
            count: keep(rr.alloc('k-NN candidate counts', nb * 4)),
          };
          rr.zero(lists.count, nb * 4);
          for (let j0 = 0; j0 < n; j0 += chunk) {
            const cols = Math.min(chunk, n - j0);
            kern.sgemm(rr, { transA: false, transB: true, m: nb, n: cols, k: d, alpha: 1, beta: 0 }, qb, ix.buffers.rows, tile, j0 * d * 4);
            kern.selectCandidates(rr, tile, ix.buffers.xn, n, lists, { nq: nb, chunk: cols, j0, cap, excludeSelf, q0, l2 });
          }
          return {
            key: new Float32Array(await rr.read(lists.key, nb * cap * 4)),
            idx: new Int32Array(await rr.read(lists.idx, nb * cap * 4)),
            count: new Uint32Array(await rr.read(lists.count, nb * 4)),
          };
        });
        for (let i = 0; i < nb; i++) {
          const count = lists.count[i];
          const worst = count === cap ? lists.key[i * cap + cap - 1] : Infinity;
          refineQuery(ctx, q0 + i, lists.idx.subarray(i * cap, i * cap + count), count, worst, ix.maxNorm, out);
        }
      }
      return out;
    },
    /** Radius lists have no WGSL kernel yet: the exact host scan over the base the index keeps. */
    async radius(index, queries, nq, radius, excludeSelf) {
      return radiusScan(index, queries, nq, radius, excludeSelf);
    },
  };
}
