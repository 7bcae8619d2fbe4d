/**
 * Boosting rounds of the hist engine on the gbdt bench's flights arrays (2.4M × 6, numbers, in
 * time order), called directly: CPU ms of each round's gradients and tree growth (median and
 * minimum), and a hash of the scores after the last round — the same hash before and after a
 * change means the same trees. For A/B runs of engine changes (swap the addon between runs).
 * Usage: npx tsx bench/gbdt-rounds.ts   (THREADS=n, default 1; ROUNDS=n, default 30; QUANTIZED=1)
 */
import { Matrix, setThreads } from '../src/index.js';
import { BOOSTING_DEFAULTS, treeParams } from '../src/models/ensemble/booster.js';
import { fitBinMapper } from '../src/models/tree/binning.js';
import { binMatrix, growTree, treeBackend } from '../src/models/tree/engine.js';
import { flightsFitDir, flightsMeta, readF64 } from './gbdt.bench.js';

const dir = await flightsFitDir();
const meta = flightsMeta(dir);
setThreads(Number(process.env.THREADS ?? 1));
const X = new Matrix(readF64(dir, 'xtrain.f64'), meta.train, meta.p),
  y = readF64(dir, 'ytrain.f64');
const backend = await treeBackend('native', 0, 'bench');
const data = await binMatrix(backend, X, fitBinMapper(X, new Uint8Array(meta.p), 255, 0, 'bench'));
const params = treeParams({ ...BOOSTING_DEFAULTS, minSumHessianInLeaf: 1, quantizedGradients: process.env.QUANTIZED === '1' }, 1);
const scores = new Float64Array(X.rows),
  gradHess = new Float64Array(2 * X.rows);
const cpuMs = async (f: () => Promise<unknown>) => {
  const c = process.cpuUsage();
  await f();
  return process.cpuUsage(c).user / 1000;
};
const grads: number[] = [],
  grows: number[] = [];
for (let r = 0; r < Number(process.env.ROUNDS ?? 30); r++) {
  grads.push(await cpuMs(() => backend.gradients('logistic', X.rows, 1, y, scores, null, 1, gradHess)));
  grows.push(await cpuMs(() => growTree(backend, data, gradHess, 1, params, { scores, scoreStride: 1, scoreColumn: 0, scale: 0.1 })));
}
let hash = 0;
for (let i = 0; i < scores.length; i += 997) hash = (hash * 31 + Math.round(scores[i] * 1e9)) % 1e9;
const median = (a: number[]) => [...a].sort((u, v) => u - v)[a.length >> 1];
console.log(
  JSON.stringify({
    gradientMedianMs: +median(grads).toFixed(1),
    growMedianMs: +median(grows).toFixed(1),
    growMinMs: +Math.min(...grows).toFixed(1),
    scoreHash: hash,
  }),
);
