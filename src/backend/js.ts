/**
 * Reference kernels in plain TypeScript: the oracle every other backend is tested
 * against, and the fallback when neither native nor webgpu can run. Written for
 * clarity and accuracy (f64 accumulation), not speed.
 */
import type { FloatArray } from '../core/matrix.js';
import type { Backend, RawColumnStats, SgemmArgs } from './backend.js';

export class JsBackend implements Backend {
  readonly name = 'js' as const;

  async sgemm(args: SgemmArgs): Promise<void> {
    this.sgemmSync(args);
  }

  sgemmSync({ transA, transB, m, n, k, alpha, a, b, beta, c }: SgemmArgs): void {
    const row = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i] : a[i * k + p];
        if (transB) {
          for (let j = 0; j < n; j++) row[j] += aip * b[j * k + p];
        } else {
          const off = p * n;
          for (let j = 0; j < n; j++) row[j] += aip * b[off + j];
        }
      }
      const off = i * n;
      for (let j = 0; j < n; j++) c[off + j] = alpha * row[j] + (beta === 0 ? 0 : beta * c[off + j]);
    }
  }

  async columnStats(x: FloatArray, rows: number, cols: number): Promise<RawColumnStats> {
    return this.columnStatsSync(x, rows, cols);
  }

  columnStatsSync(x: FloatArray, rows: number, cols: number): RawColumnStats {
    const s: RawColumnStats = {
      count: new Float64Array(cols),
      nonFinite: new Float64Array(cols),
      sum: new Float64Array(cols),
      mean: new Float64Array(cols),
      m2: new Float64Array(cols),
      min: new Float64Array(cols).fill(Infinity),
      max: new Float64Array(cols).fill(-Infinity),
    };
    // Two passes per column: the sum for the mean, then squared deviations (exact-ish, the oracle).
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
}
