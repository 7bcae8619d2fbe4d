/**
 * One GradientBoostingClassifier fit on the gbdt bench's flights arrays (written once to
 * $TMPDIR/kiln-gbdt-fit by gbdt.bench.ts's `flights`), timed in-process: wall and CPU time of
 * `fit`, and the test AUC — for A/B runs of one change (alternate two checkouts or addons).
 * Usage: npx tsx bench/gbdt-fit.ts '{"dataSampleStrategy":"goss"}'   (CAT=1: categorical origin and
 * destination; THREADS=n, default 2; the JSON overrides the bench's parameters)
 */
import { GradientBoostingClassifier, Matrix, rocAucScore, setThreads } from '../src/index.js';
import { FLIGHTS_GBDT_PARAMS, flightsFitDir, flightsMeta, readF64 } from './gbdt.bench.js';

const dir = await flightsFitDir();
const meta = flightsMeta(dir);
const f64 = (name: string) => readF64(dir, name);
const extra = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const cat = process.env.CAT === '1';
setThreads(Number(process.env.THREADS ?? 2));
const model = new GradientBoostingClassifier({ ...FLIGHTS_GBDT_PARAMS, categoricalFeatures: cat ? meta.categorical : null, ...extra });
const X = new Matrix(f64('xtrain.f64'), meta.train, meta.p),
  y = Array.from(f64('ytrain.f64'));
const cpu0 = process.cpuUsage(),
  t0 = performance.now();
await model.fit(X, y);
const fitMs = performance.now() - t0,
  cpu = process.cpuUsage(cpu0);
const scores = (await model.decisionFunction(new Matrix(f64('xtest.f64'), meta.test, meta.p))) as Float64Array;
const auc = rocAucScore(Array.from(f64('ytest.f64')), scores);
console.log(JSON.stringify({ extra, cat, fitMs: Math.round(fitMs), cpuMs: Math.round((cpu.user + cpu.system) / 1000), auc: +auc.toFixed(5) }));
