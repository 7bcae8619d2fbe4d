/**
 * Times the five engine workloads (GBDT fit, exact k-NN, logistic + SGD fit, MLP fit, GEMM) in
 * two built checkouts of kiln, alternating old/new in fresh processes, and prints each side's
 * median fit time (import and data generation excluded) and the new/old ratio. For refactors:
 * the kernels must not slow down when only the TypeScript around them moved.
 * Also, first calls in a fresh process on 3,000,000 rows (what a profile or a describe meets):
 * `skew` (the moments' passes), `describe` (a sort per column), `spearmanr` (two rank passes),
 * `duplicated` (whole-row groups of 5 columns), and `profile` of flights-3m (loaded outside the
 * clock, in a function so that the table dies before it).
 * And `gbdt-flights` / `gbdt-flights-goss`: each checkout's own `bench/gbdt-fit.ts` (the gbdt bench's
 * flights fit, codes as numbers, 2 threads), plain or with GOSS: for a change to the tree engine,
 * whose single runs move by ±5% on a shared machine; `mlp-bench`: each checkout's own
 * `bench/mlp-fit.ts` (the mlp bench's network, ms per epoch).
 * Run: node bench/compare-checkouts.mjs OLD_CHECKOUT NEW_CHECKOUT [runs=5] [workloads=gbdt,knn,linear,mlp,gemm]
 * (each checkout built: `npx cmake-js compile --release && npx tsc -p tsconfig.json`).
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKLOADS = ['gbdt', 'knn', 'linear', 'mlp', 'gemm'];
const FIRST_CALLS = ['skew', 'describe', 'spearmanr', 'duplicated', 'profile'];

/** One workload in this process against ROOT/dist; prints the milliseconds of the timed part. */
async function runOne(root, work) {
  const k = await import(`${resolve(root)}/dist/index.js`);
  k.setThreads(2);
  const rng = new k.Rng(7);
  const data = (n, p, f32) => {
    const X = (f32 ? new Float32Array(n * p) : new Float64Array(n * p)).map(() => rng.normal());
    const y = [];
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += X[i * p + j] * (j + 1);
      y.push(s + 0.5 * rng.normal() > 0 ? 1 : 0);
    }
    return { X: new k.Matrix(X, n, p), y };
  };
  const timed = async (fn) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  // 3M flight-like rows: delays in minutes (few distinct values), distances, minute timestamps, two codes
  const flightsLike = () => {
    const n = 3_000_000,
      r = new k.Rng(11);
    const delay = new Float64Array(n),
      distance = new Float64Array(n),
      date = new Float64Array(n),
      origin = [],
      dest = [];
    for (let i = 0; i < n; i++) {
      delay[i] = Math.round(r.normal() * 30 + 5);
      distance[i] = Math.round(Math.abs(r.normal()) * 800 + 100);
      date[i] = 1.1e12 + Math.floor(i / 3) * 60_000;
      origin.push(`A${r.int(229)}`);
      dest.push(`B${r.int(229)}`);
    }
    return { delay, distance, date, origin, dest, n };
  };
  let ms;
  if (FIRST_CALLS.includes(work)) {
    if (work === 'profile') {
      const load = async () =>
        k.Frame.fromTable(await k.readParquet(`${resolve(root)}/node_modules/vega-datasets/data/flights-3m.parquet`), { date: 'datetime' });
      const frame = await load();
      k.getThreads(); // the addon loaded outside the clock
      ms = await timed(() => k.profile(frame, { target: 'delay' }));
    } else {
      const f = flightsLike();
      const frame = k.Frame.fromTable(
        { rows: f.n, columns: { date: f.date, delay: f.delay, distance: f.distance, origin: f.origin, dest: f.dest } },
        { date: 'datetime' },
      );
      k.getThreads();
      if (work === 'skew') ms = await timed(() => k.skew(f.delay));
      else if (work === 'describe') ms = await timed(() => frame.describe());
      else if (work === 'spearmanr') ms = await timed(() => k.spearmanr(f.delay, f.distance));
      else ms = await timed(() => frame.duplicated());
    }
  } else if (work === 'gbdt') {
    const { X, y } = data(300_000, 10, false);
    ms = await timed(() => new k.GradientBoostingClassifier({ nEstimators: 100, learningRate: 0.1, maxLeaves: 31, backend: 'native' }).fit(X, y));
  } else if (work === 'knn') {
    const { X } = data(100_000, 32, true);
    const Q = data(20_000, 32, true).X;
    ms = await timed(async () => (await new k.NearestNeighbors({ nNeighbors: 10, backend: 'native' }).fit(X)).kneighbors(Q));
  } else if (work === 'linear') {
    const { X, y } = data(200_000, 32, false);
    ms = await timed(async () => {
      await new k.LogisticRegression({ maxIter: 200, backend: 'native' }).fit(X, y);
      await new k.SGDClassifier({ loss: 'log_loss', maxIter: 5, tol: null, backend: 'native' }).fit(X, y);
    });
  } else if (work === 'mlp') {
    const { X, y } = data(50_000, 32, true);
    ms = await timed(() => new k.MLPClassifier({ hiddenLayerSizes: [64], maxIter: 20, backend: 'native' }).fit(X, y));
  } else {
    const a = data(1024, 1024, true).X,
      b = data(1024, 1024, true).X;
    ms = await timed(async () => {
      for (let i = 0; i < 60; i++) await k.matmul(a, b, { backend: 'native' });
    });
  }
  console.log(ms.toFixed(1));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (process.argv[2] === '--one') {
  await runOne(process.argv[3], process.argv[4]);
} else {
  const [oldRoot, newRoot, runsArg, workArg] = process.argv.slice(2);
  if (!oldRoot || !newRoot) {
    console.error('usage: node bench/compare-checkouts.mjs OLD_CHECKOUT NEW_CHECKOUT [runs=5]');
    process.exit(2);
  }
  const runs = Number(runsArg ?? 5),
    self = fileURLToPath(import.meta.url);
  // A checkout's own bench script in a fresh process; its last line is JSON holding `key`.
  const script = (root, file, args, key) => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', file), ...args], { cwd: root, encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop())[key];
  };
  const one = (root, work) => {
    if (work === 'mlp-bench') return script(root, 'mlp-fit.ts', [], 'msPerEpoch');
    if (!work.startsWith('gbdt-flights')) return Number(execFileSync(process.execPath, [self, '--one', root, work], { encoding: 'utf8' }).trim());
    return script(root, 'gbdt-fit.ts', [work.endsWith('goss') ? '{"dataSampleStrategy":"goss"}' : '{}'], 'fitMs');
  };
  console.log('workload  old ms  new ms  new/old');
  for (const work of workArg ? workArg.split(',') : WORKLOADS) {
    const olds = [],
      news = [];
    for (let r = 0; r < runs; r++) {
      olds.push(one(oldRoot, work));
      news.push(one(newRoot, work));
    }
    const o = median(olds),
      n = median(news);
    console.log(`${work.padEnd(8)} ${o.toFixed(0).padStart(7)} ${n.toFixed(0).padStart(7)}  ${(n / o).toFixed(3)}`);
  }
}
