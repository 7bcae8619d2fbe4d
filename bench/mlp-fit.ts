/**
 * One fit of the mlp bench's network (64-128-128-10, Adam, batch 256, 100,000 rows, 5 epochs) on
 * the native loop, timed in-process: wall and CPU ms per epoch — for A/B runs of one change
 * (`node bench/compare-checkouts.mjs OLD NEW 5 mlp-bench` alternates two checkouts).
 * Usage: npx tsx bench/mlp-fit.ts   (THREADS=n, default 2)
 */
import { Matrix, setThreads } from '../src/index.js';
import { mlpBenchData, mlpBenchModel } from './mlp.bench.js';

const EPOCHS = 5;
const { X, y } = mlpBenchData();
const Xm = new Matrix(X, y.length, X.length / y.length),
  labels = Array.from(y);
setThreads(Number(process.env.THREADS ?? 2));
const cpu0 = process.cpuUsage(),
  t0 = performance.now();
await mlpBenchModel(EPOCHS).fit(Xm, labels);
const used = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({ msPerEpoch: Math.round((performance.now() - t0) / EPOCHS), cpuMsPerEpoch: Math.round((used.user + used.system) / 1000 / EPOCHS) }),
);
