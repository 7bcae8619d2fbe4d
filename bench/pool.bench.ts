/**
 * Where cross-validation's folds run: crossValidate of gradient boosting (POOL_ROWS × 10, 5
 * unshuffled folds, POOL_TREES trees) on the serial executor, workerPool({ nJobs: 2 }) and a
 * bullmqExecutor with two kiln workers (concurrency 1 each) on a local redis-server, each after one
 * warm-up run (thread / child-process start excluded), checked to give the same scores; scikit-learn's
 * cross_validate(HistGradientBoostingClassifier, n_jobs=1 and 2) on the same arrays in the same run
 * (bench/peers/sklearn_cv.py); and the queue's empty-job throughput (jobs added in bulk, completed
 * by the two workers' sandboxed processors).
 * Run: npm run bench -- pool   (POOL_ROWS, POOL_TREES, POOL_EMPTY_JOBS override; results in bench/results/pool.json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import {
  bullmqExecutor,
  crossValidate,
  type Executor,
  directoryStore,
  GradientBoostingClassifier,
  KFold,
  Matrix,
  Rng,
  startKilnWorker,
  workerPool,
} from '../src/index.js';
import { stamp } from '../src/distributed/queue-jobs.js';
import { startRedis } from '../test/helpers/redis.js';
import { runPeer, writeResults } from './lib.js';

const ROWS = Number(process.env.POOL_ROWS ?? 20_000);
const TREES = Number(process.env.POOL_TREES ?? 50);
const EMPTY_JOBS = Number(process.env.POOL_EMPTY_JOBS ?? 2000);
const P = 10;
const FOLDS = 5;

async function median3(f: () => Promise<Float64Array>): Promise<{ seconds: number; scores: Float64Array }> {
  await f(); // warm-up: threads, child processes, data in the store
  const times: number[] = [];
  let scores: Float64Array = new Float64Array();
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    scores = await f();
    times.push((performance.now() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[1], scores };
}

export async function benchPool(): Promise<void> {
  const rng = new Rng(11);
  const X = new Float64Array(ROWS * P);
  const y = new Int32Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    let s = 0;
    for (let j = 0; j < P; j++) {
      const v = rng.normal();
      X[i * P + j] = v;
      s += (j % 3 === 0 ? 1 : -0.5) * v + (j === 1 ? v * v * 0.3 : 0);
    }
    y[i] = s + 0.5 * rng.normal() > 0 ? 1 : 0;
  }
  const Xm = new Matrix(X, ROWS, P);
  const labels = Array.from(y);
  const model = new GradientBoostingClassifier({ nEstimators: TREES, randomState: 0 });
  const cv = new KFold({ nSplits: FOLDS });
  const score = (executor?: Executor) => async () =>
    (await crossValidate(model, Xm, labels, { cv, scoring: 'neg_log_loss', ...(executor ? { executor } : {}) })).testScore!;

  const serial = await median3(score());
  const pool = workerPool({ nJobs: 2 });
  const pooled = await median3(score(pool));
  await pool.close();

  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), 'kiln-pool-bench-'));
  const workers = await Promise.all([1, 2].map(() => startKilnWorker({ connection: redis.url, store: dir })));
  const ex = bullmqExecutor({ connection: redis.url, store: directoryStore(dir) });
  let queued: { seconds: number; scores: Float64Array };
  let emptyJobsPerSecond: number;
  try {
    queued = await median3(score(ex));
    // empty jobs: the queue's own cost per job (add in bulk, two workers with sandboxed processors)
    const connection = { host: '127.0.0.1', port: redis.port };
    const q = new Queue('kiln', { connection });
    const events = new QueueEvents('kiln', { connection });
    await events.waitUntilReady();
    events.setMaxListeners(0);
    q.setMaxListeners(0);
    const t = performance.now();
    const jobs = await q.addBulk(Array.from({ length: EMPTY_JOBS }, () => ({ name: 'kiln:noop', data: stamp(), opts: { removeOnComplete: true } })));
    await Promise.all(jobs.map((j) => j.waitUntilFinished(events)));
    emptyJobsPerSecond = EMPTY_JOBS / ((performance.now() - t) / 1000);
    await Promise.all([q.close(), events.close()]);
  } finally {
    await ex.close();
    await Promise.all(workers.map((w) => w.close()));
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const same = (a: Float64Array) => a.every((v, i) => Object.is(v, serial.scores[i]));
  const peerDir = mkdtempSync(join(tmpdir(), 'kiln-pool-peer-'));
  let peer: { nJobs: number; seconds: number; meanLogLoss: number }[] = [];
  try {
    writeFileSync(join(peerDir, 'X.f64'), X);
    writeFileSync(join(peerDir, 'y.i32'), y);
    peer = runPeer('scikit-learn', 'sklearn_cv.py', [join(peerDir, 'X.f64'), join(peerDir, 'y.i32'), String(P), String(FOLDS), String(TREES), '1', '2']);
  } finally {
    rmSync(peerDir, { recursive: true, force: true });
  }
  const meanLoss = -serial.scores.reduce((a, b) => a + b, 0) / FOLDS;
  const rows = [
    { executor: 'kiln serial', seconds: serial.seconds, meanLogLoss: meanLoss, sameScores: true },
    { executor: 'kiln workerPool nJobs 2', seconds: pooled.seconds, meanLogLoss: meanLoss, sameScores: same(pooled.scores) },
    { executor: 'kiln bullmq, 2 workers', seconds: queued.seconds, meanLogLoss: meanLoss, sameScores: same(queued.scores) },
    ...peer.map((p) => ({ executor: `sklearn HGB n_jobs=${p.nJobs}`, seconds: p.seconds, meanLogLoss: p.meanLogLoss, sameScores: null })),
  ].map((r) => ({ ...r, seconds: Number(r.seconds.toFixed(3)), meanLogLoss: Number(r.meanLogLoss.toFixed(5)) }));
  console.table(rows);
  const result = { rows: ROWS, features: P, folds: FOLDS, trees: TREES, cv: rows, emptyJobs: EMPTY_JOBS, emptyJobsPerSecond: Math.round(emptyJobsPerSecond) };
  console.log(`empty jobs: ${result.emptyJobsPerSecond}/s over ${EMPTY_JOBS} jobs, 2 workers`);
  console.log(`results: ${writeResults('pool', result)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPool();
