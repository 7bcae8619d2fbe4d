/**
 * Scaling a search over `kiln worker` processes: the tuning issue's GridSearchCV workload
 * (search.bench.ts: flights, 12 candidates × 5 unshuffled folds, GradientBoostingClassifier 100
 * rounds, 255 bins, roc_auc, no refit) on a bullmqExecutor with 1, 2 and 4 `kiln worker` processes
 * (separate processes, concurrency 1, `--threads 1` so N workers use N cores) on a local
 * redis-server, next to the serial executor with 1 native thread and with all cores. Each queue
 * run follows a warm-up search (2 candidates: the workers' children start and cache the data) and
 * is checked to give the serial scores. One timed run per configuration; the 1-thread serial
 * baseline runs first and last (the lesser counts: the machine may be shared). fitSeconds is the
 * sum of the bare fits' times wherever they ran: seconds − fitSeconds / workers is the queue's share.
 * Run: npm run bench -- scaling   (SCALING_ROWS overrides the 50,000 rows: fits of ~0.5 s; results in bench/results/scaling.json)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bullmqExecutor, directoryStore, type Executor, GradientBoostingClassifier, GridSearchCV, KFold, Matrix, setThreads } from '../src/index.js';
import { startRedis } from '../test/helpers/redis.js';
import { flights } from './gbdt.bench.js';
import { writeResults } from './lib.js';

const ROWS = Number(process.env.SCALING_ROWS ?? 50_000);
const GRID = { learningRate: [0.05, 0.1, 0.2], maxLeaves: [15, 31], minDataInLeaf: [20, 50] };
const TSX = new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const CLI = new URL('../src/cli/index.ts', import.meta.url).pathname;

function f64(path: string, count: number): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8).slice(0, count);
}

async function startWorkers(n: number, url: string, store: string, queue: string): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const c = spawn(process.execPath, ['--import', TSX, CLI, 'worker', '--redis', url, '--store', store, '--queues', queue, '--threads', '1'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      c.stderr!.on('data', (d) => {
        err += d;
      });
      for (let i = 0; i < 1200 && !err.includes('serving'); i++) await new Promise((r) => setTimeout(r, 50));
      if (!err.includes('serving')) throw new Error(`kiln worker did not start: ${err}`);
      return c;
    }),
  );
}

async function stopWorkers(ws: ChildProcess[]): Promise<void> {
  await Promise.all(
    ws.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null) return resolve();
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    ),
  );
}

export async function benchScaling(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-scaling-'));
  const redis = await startRedis();
  try {
    await flights(dir);
    const { p, train } = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    const n = Math.min(ROWS, train);
    const X = new Matrix(f64(join(dir, 'xtrain.f64'), n * p), n, p);
    const y = Array.from(f64(join(dir, 'ytrain.f64'), n));
    const search = async (grid: Record<string, number[]>, executor?: Executor) => {
      const s = new GridSearchCV({
        estimator: new GradientBoostingClassifier({ nEstimators: 100, maxBins: 255 }),
        paramGrid: grid,
        cv: new KFold(5),
        scoring: 'roc_auc',
        refit: false,
        ...(executor ? { executor } : {}),
      });
      const t0 = performance.now();
      await s.fit(X, y);
      const fits = Array.from(s.cvResults.mean_fit_time as ArrayLike<number>).reduce((a, v) => a + v, 0) * 5;
      return { seconds: (performance.now() - t0) / 1000, fitSeconds: fits, scores: Float64Array.from(s.cvResults.mean_test_score as ArrayLike<number>) };
    };
    const cores = availableParallelism();
    setThreads(1);
    const serial1 = await search(GRID);
    setThreads(cores);
    const serialAll = await search(GRID);
    const rows: { run: string; seconds: number; fitSeconds: number; speedup: number; sameScores: boolean }[] = [
      { run: 'serial, 1 native thread', seconds: serial1.seconds, fitSeconds: serial1.fitSeconds, speedup: 1, sameScores: true },
      {
        run: `serial, ${cores} native threads`,
        seconds: serialAll.seconds,
        fitSeconds: serialAll.fitSeconds,
        speedup: 0,
        sameScores: serialAll.scores.every((v, i) => Object.is(v, serial1.scores[i])),
      },
    ];
    for (const w of [1, 2, 4]) {
      const store = join(dir, `store-${w}`);
      const queue = `scaling${w}`;
      const workers = await startWorkers(w, redis.url, store, queue);
      const ex = bullmqExecutor({ connection: redis.url, store: directoryStore(store), queue });
      try {
        await search({ learningRate: [0.1], maxLeaves: [15, 31], minDataInLeaf: [20] }, ex); // warm-up
        const r = await search(GRID, ex);
        rows.push({
          run: `bullmq, ${w} kiln worker process(es) × 1 thread`,
          seconds: r.seconds,
          fitSeconds: r.fitSeconds,
          speedup: 0,
          sameScores: r.scores.every((v, i) => Object.is(v, serial1.scores[i])),
        });
      } finally {
        await ex.close();
        await stopWorkers(workers);
      }
    }
    // the serial baseline again at the end: on a shared machine, the lesser of the two
    setThreads(1);
    const again = await search(GRID);
    rows[0].seconds = Math.min(serial1.seconds, again.seconds);
    setThreads(cores);
    for (const r of rows) {
      r.speedup = +(rows[0].seconds / r.seconds).toFixed(2);
      r.seconds = +r.seconds.toFixed(2);
      r.fitSeconds = +r.fitSeconds.toFixed(2);
    }
    console.table(rows);
    console.log(`results: ${writeResults('scaling', { rows: n, candidates: 12, folds: 5, cores, runs: rows })}`);
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchScaling();
