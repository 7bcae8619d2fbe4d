/** The webgpu reduce family: per-block f32 partials on the device, merged on the host in f64. */
import { STATS_FIELDS, type RawColumnStats, type ReduceKernels } from '../contract/reduce.js';
import { toF32, type GpuHost } from './host.js';
import * as kern from './kernels.js';

export function gpuReduce(host: GpuHost): ReduceKernels {
  return {
    async columnStats(x, rows, cols) {
      const parts = await host.run('columnStats', async (r, keep) => {
        const xb = keep(r.upload('x', toF32(x)));
        const out: { data: Float32Array; blocks: number }[] = [];
        for (const { partials, blocks, bytes } of kern.columnPartials(r, xb, rows, cols)) {
          keep(partials);
          out.push({ data: new Float32Array(await r.read(partials, bytes)), blocks });
        }
        return out;
      });
      return mergeBlockPartials(parts, cols);
    },
    async rowNorms(x, rows, cols, squared) {
      return host.run('rowNorms', async (r, keep) => {
        const out = keep(kern.rowNorms(r, keep(r.upload('x', toF32(x))), rows, cols, squared));
        return Float64Array.from(new Float32Array(await r.read(out, rows * 4)));
      });
    },
  };
}

/** Merges per-block f32 partials ([block][field][col]) in f64 with Chan's formula. */
export function mergeBlockPartials(parts: { data: Float32Array; blocks: number }[], cols: number): RawColumnStats {
  const s: RawColumnStats = {
    count: new Float64Array(cols),
    nonFinite: new Float64Array(cols),
    sum: new Float64Array(cols),
    mean: new Float64Array(cols),
    m2: new Float64Array(cols),
    min: new Float64Array(cols).fill(Infinity),
    max: new Float64Array(cols).fill(-Infinity),
  };
  for (const { data, blocks } of parts)
    for (let b = 0; b < blocks; b++) {
      const f = (field: number, col: number) => data[(b * STATS_FIELDS.length + field) * cols + col];
      for (let c = 0; c < cols; c++) {
        s.nonFinite[c] += f(1, c);
        const nb = f(0, c);
        if (nb === 0) continue;
        const na = s.count[c],
          n = na + nb;
        const delta = f(3, c) - s.mean[c];
        s.mean[c] += (delta * nb) / n;
        s.m2[c] += f(4, c) + (delta * delta * na * nb) / n;
        s.count[c] = n;
        s.sum[c] += f(2, c);
        s.min[c] = Math.min(s.min[c], f(5, c));
        s.max[c] = Math.max(s.max[c], f(6, c));
      }
    }
  return s;
}
