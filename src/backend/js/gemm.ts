/** The js backend's gemm: a plain triple loop accumulating in f64 (the oracle of the others). */
import type { GemmSyncKernels, SgemmArgs } from '../contract/gemm.js';

function sgemmSync({ transA, transB, m, n, k, alpha, a, b, beta, c }: SgemmArgs): void {
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

export const jsGemm: GemmSyncKernels = {
  sgemm: async (args) => sgemmSync(args),
  sgemmSync,
};
