// Checks the native sgemm micro-kernel that KILN_CPU selects against the js
// reference over random shapes; prints {kernel, worst} (worst error / bound).
import { nativeAddon } from '../../dist/backend/native/index.js';
import { JsBackend } from '../../dist/backend/js/index.js';
import { Rng } from '../../dist/index.js';

const addon = nativeAddon();
const js = new JsBackend();
const rng = new Rng(Number(process.env.SEED ?? 1));
const rand = (n) => Float32Array.from({ length: n }, () => rng.random() * 2 - 1);
let worst = 0;
for (let t = 0; t < 12; t++) {
  const m = 1 + rng.int(300), n = 1 + rng.int(300), k = 1 + rng.int(600);
  const transA = rng.random() < 0.5, transB = rng.random() < 0.5;
  const alpha = rng.random() * 2 - 1, beta = t % 2 ? rng.random() * 2 - 1 : 0;
  const a = rand(m * k), b = rand(k * n), c0 = rand(m * n);
  const got = Float32Array.from(c0), want = Float32Array.from(c0), bound = new Float32Array(m * n);
  addon.sgemmSync(transA, transB, m, n, k, alpha, a, b, beta, got);
  js.gemm.sgemmSync({ transA, transB, m, n, k, alpha, a, b, beta, c: want });
  js.gemm.sgemmSync({ transA, transB, m, n, k, alpha: Math.abs(alpha), a: a.map(Math.abs), b: b.map(Math.abs), beta: 0, c: bound });
  for (let i = 0; i < m * n; i++) {
    const tol = 2 * (k + 2) * 2 ** -24 * (bound[i] + Math.abs(beta * c0[i])) + 1e-30;
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / tol);
  }
}
console.log(JSON.stringify({ kernel: addon.info().gemmKernel, simd: addon.info().simd, worst }));
