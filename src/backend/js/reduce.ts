/** The js backend's reduce family: two passes per column (the sum for the mean, then squared deviations). */
import type { FloatArray } from '../../core/matrix.js';
import type { RawColumnStats, ReduceSyncKernels } from '../contract/reduce.js';

function columnStatsSync(x: FloatArray, rows: number, cols: number): RawColumnStats {
  const s: RawColumnStats = {
    count: new Float64Array(cols),
    nonFinite: new Float64Array(cols),
    sum: new Float64Array(cols),
    mean: new Float64Array(cols),
    m2: new Float64Array(cols),
    min: new Float64Array(cols).fill(Infinity),
    max: new Float64Array(cols).fill(-Infinity),
  };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = x[r * cols + c];
      if (!Number.isFinite(v)) {
        s.nonFinite[c]++;
        continue;
      }
      s.count[c]++;
      s.sum[c] += v;
      if (v < s.min[c]) s.min[c] = v;
      if (v > s.max[c]) s.max[c] = v;
    }
  }
  for (let c = 0; c < cols; c++) s.mean[c] = s.count[c] > 0 ? s.sum[c] / s.count[c] : 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = x[r * cols + c];
      if (Number.isFinite(v)) s.m2[c] += (v - s.mean[c]) ** 2;
    }
  }
  return s;
}

function rowNormsSync(x: FloatArray, rows: number, cols: number, squared: boolean): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += x[r * cols + c] * x[r * cols + c];
    out[r] = squared ? s : Math.sqrt(s);
  }
  return out;
}

export const jsReduce: ReduceSyncKernels = {
  columnStats: async (x, rows, cols) => columnStatsSync(x, rows, cols),
  columnStatsSync,
  rowNorms: async (x, rows, cols, squared) => rowNormsSync(x, rows, cols, squared),
  rowNormsSync,
};
