/**
 * Child process of the gbdt bench: trains kiln's GradientBoostingClassifier on arrays the
 * bench wrote (so its memory is measured from a baseline with only the data loaded, as the
 * XGBoost peer's is), predicts the test rows, and prints one JSON line.
 * Usage: tsx bench/gbdt-train.ts DIR ROUNDS THREADS CATEGORICAL(0|1) QUANTIZED(0|1) SAMPLING(none|goss)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GradientBoostingClassifier, Matrix, setThreads } from '../src/index.js';
import { FLIGHTS_GBDT_PARAMS, flightsMeta, readF64 } from './gbdt.bench.js';

const [dir, roundsArg, threadsArg, catArg, quantArg, sampleArg = 'none'] = process.argv.slice(2);
const meta = flightsMeta(dir);
const f64 = (name: string) => readF64(dir, name);
const Xtr = new Matrix(f64('xtrain.f64'), meta.train, meta.p),
  ytr = f64('ytrain.f64');
const Xte = new Matrix(f64('xtest.f64'), meta.test, meta.p);
setThreads(Number(threadsArg));
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const baseRssMb = rssMb();
let peakRssMb = baseRssMb;
const sampler = setInterval(() => {
  peakRssMb = Math.max(peakRssMb, rssMb());
}, 20);
const model = new GradientBoostingClassifier({
  ...FLIGHTS_GBDT_PARAMS,
  nEstimators: Number(roundsArg),
  categoricalFeatures: catArg === '1' ? meta.categorical : null,
  quantizedGradients: quantArg === '1',
  dataSampleStrategy: sampleArg === 'goss' ? 'goss' : 'bagging',
});
const labels = Array.from(ytr);
const t0 = performance.now();
await model.fit(Xtr, labels);
const fitMs = performance.now() - t0;
clearInterval(sampler);
peakRssMb = Math.max(peakRssMb, rssMb(), process.resourceUsage().maxRSS / 1024);
const t1 = performance.now();
const proba = await model.predictProba(Xte);
const predictMs = performance.now() - t1;
const p1 = Float64Array.from({ length: meta.test }, (_, i) => proba.data[2 * i + 1]);
writeFileSync(join(dir, `kiln-proba-${catArg}${quantArg}${sampleArg}.f64`), p1);
// Single-row latency through the synchronous path.
const row = new Matrix(new Float64Array(meta.p), 1, meta.p);
const lat: number[] = [];
for (let i = 0; i < 20000; i++) {
  row.data.set(Xte.data.subarray((i % meta.test) * meta.p, ((i % meta.test) + 1) * meta.p));
  const t = process.hrtime.bigint();
  model.predictProbaSync(row);
  lat.push(Number(process.hrtime.bigint() - t) / 1000);
}
lat.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    fitMs,
    predictMs,
    baseRssMb,
    peakRssMb,
    trainExtraMb: peakRssMb - baseRssMb,
    rounds: model.nIter,
    singleRowP50Us: lat[lat.length >> 1],
    singleRowP99Us: lat[Math.floor(lat.length * 0.99)],
  }),
);
