/**
 * Where a boosting fit's set-up goes, on the gbdt bench's flights arrays (2.4M × 6, numbers):
 * wall ms of each step a GradientBoostingClassifier fit takes before its first tree, in order and
 * on the main thread as the fit runs them — label coding, the bin mapper (its sample through the
 * backend's binSample), binning, and the first two gradients calls (the first one faults its
 * fresh pages in). For A/B runs of set-up changes.
 * Usage: npx tsx bench/gbdt-setup.ts   (THREADS=n, default 2; SAMPLER=js: the bin sample drawn and
 * gathered by the js reference, as fits did before the binSample kernel)
 */
import { Matrix, setThreads } from '../src/index.js';
import { encodeLabels } from '../src/core/labels.js';
import { fitBinMapper } from '../src/models/tree/binning.js';
import { binMatrix, treeBackend } from '../src/models/tree/engine.js';
import { flightsFitDir, flightsMeta, readF64 } from './gbdt.bench.js';

const dir = await flightsFitDir();
const meta = flightsMeta(dir);
setThreads(Number(process.env.THREADS ?? 2));
const X = new Matrix(readF64(dir, 'xtrain.f64'), meta.train, meta.p),
  y = Array.from(readF64(dir, 'ytrain.f64'));
const ms: Record<string, number> = {};
let t0 = performance.now();
const lap = (step: string) => {
  const now = performance.now();
  ms[step] = +(now - t0).toFixed(1);
  t0 = now;
};
const { codes } = encodeLabels(y, 'y');
const yCodes = Float64Array.from(codes);
lap('labels');
const backend = await treeBackend('native', 0, 'bench');
const mapper = fitBinMapper(X, new Uint8Array(meta.p), 255, 0, 'bench', process.env.SAMPLER === 'js' ? undefined : (...a) => backend.binSample(...a));
lap('fitBinMapper');
await binMatrix(backend, X, mapper);
lap('binMatrix');
const scores = new Float64Array(X.rows).fill(-1.3),
  gradHess = new Float64Array(2 * X.rows);
lap('scores and gradients allocated');
await backend.gradients('logistic', X.rows, 1, yCodes, scores, null, 1, gradHess);
lap('gradients, first call');
await backend.gradients('logistic', X.rows, 1, yCodes, scores, null, 1, gradHess);
lap('gradients, second call');
console.log(JSON.stringify(ms));
