import { Matrix, Rng } from '../src/index.js';
import { estimateParameters, weightedLogProb, normaliseLogProb, precisionCholesky } from '../src/cluster/gaussian-mixture-em.js';
const rng = new Rng(1);
const n = 50000, p = 8, k = 5;
const X = Float64Array.from({ length: n * p }, () => rng.normal());
const resp = Float64Array.from({ length: n * k }, () => rng.random());
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  const est = estimateParameters(X, resp, n, p, k, 'full', 1e-6);
  const a = performance.now() - t; t = performance.now();
  const P = precisionCholesky(est.covariances, 'full', k, p);
  const m = { ...est, precChol: P };
  const w = weightedLogProb(X, n, p, m, 'full');
  const b = performance.now() - t; t = performance.now();
  normaliseLogProb(w, n, k);
  for (let i = 0; i < w.length; i++) w[i] = Math.exp(w[i]);
  console.log('M', a.toFixed(1), 'E', b.toFixed(1), 'norm+exp', (performance.now() - t).toFixed(1));
}
