/**
 * GridSearchCV of gradient boosting on the flights data (bench/gbdt.bench.ts's features: month,
 * day of week, hour, distance, origin and destination codes; label delay > 15 minutes; the first
 * rows in time order): 12 candidates (learningRate × maxLeaves × minDataInLeaf) × 5 unshuffled
 * folds, scored by roc_auc, no refit. kiln's GridSearchCV(GradientBoostingClassifier, 100 rounds,
 * 255 bins, nJobs: 2) against scikit-learn's GridSearchCV(HistGradientBoostingClassifier,
 * n_jobs=2) with the same grid, folds and arrays (bench/peers/sklearn_search.py, one process of
 * this run). Both sides run two fits at once: scikit-learn in two joblib processes, kiln on its
 * worker pool's two threads, which divides the native threads among them (nJobs × threads ≤
 * cores: one native thread per fit on 2 cores). The results equal the serial executor's (each
 * task carries its own folds and parameters). One run each: a search is 60 fits. kiln runs as
 * built (dist/, rebuilt from the sources before the clock), as an installed package does.
 * Run: npm run bench -- search        (5,000 rows, the smoke size)
 *      npm run bench -- search-full   (200,000 rows, the size)
 * Results in bench/results/search.json. KILN_BENCH_SEARCH_ROWS overrides the row count.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GradientBoostingClassifier, getThreads, Matrix, setThreads } from '../src/index.js';
import { flights } from './gbdt.bench.js';
import { builtKiln, runPeer, writeResults } from './lib.js';

const N_JOBS = 2;
const GRID = { learningRate: [0.05, 0.1, 0.2], maxLeaves: [15, 31], minDataInLeaf: [20, 50] };

function f64(path: string, count: number): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8).slice(0, count);
}

async function benchSearchRows(defaultRows: number): Promise<void> {
  const rows = Number(process.env.KILN_BENCH_SEARCH_ROWS ?? defaultRows);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-search-'));
  try {
    await flights(dir);
    const { p, train } = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    const n = Math.min(rows, train);
    const X = f64(join(dir, 'xtrain.f64'), n * p);
    const y = Array.from(f64(join(dir, 'ytrain.f64'), n));
    writeFileSync(join(dir, 'xsearch.f64'), X);
    writeFileSync(join(dir, 'ysearch.f64'), Float64Array.from(y));
    writeFileSync(join(dir, 'search-meta.json'), JSON.stringify({ p, n }));
    // the search starts worker threads: kiln as built, as a user's process loads it (see builtKiln)
    const kiln = await builtKiln();
    const search = new kiln.GridSearchCV({
      estimator: new kiln.GradientBoostingClassifier({ nEstimators: 100, maxBins: 255 }),
      paramGrid: GRID,
      cv: new kiln.KFold(5),
      scoring: 'roc_auc',
      refit: false,
      nJobs: N_JOBS,
    });
    const loadBefore = loadavg()[0];
    const t0 = performance.now();
    await search.fit(new kiln.Matrix(X, n, p), y);
    const kilnS = (performance.now() - t0) / 1000;
    const [peer] = runPeer('scikit-learn GridSearchCV', 'sklearn_search.py', [dir]);
    // fit seconds summed over the 60 fits (two at a time: about twice the wall time they took)
    const kilnFitS = (search.cvResults.mean_fit_time as Float64Array).reduce((a, v) => a + v, 0) * 5;
    const result = {
      rows: n,
      candidates: 12,
      folds: 5,
      nJobs: N_JOBS,
      kilnS: +kilnS.toFixed(2),
      kilnBareFitsS: +kilnFitS.toFixed(2),
      kilnBestScore: +search.bestScore.toFixed(5),
      kilnBestParams: search.bestParams,
      sklearnS: peer ? +peer.fitS.toFixed(2) : null,
      sklearnBestScore: peer ? +peer.bestScore.toFixed(5) : null,
      sklearnBestParams: peer?.bestParams ?? null,
      kilnOverSklearn: peer ? +(kilnS / peer.fitS).toFixed(2) : null,
      // the machine's 1-minute load average before kiln's search and after the peer's: on a shared
      // machine, a ratio measured under load above the core count is noise as much as signal
      load: [+loadBefore.toFixed(2), +loadavg()[0].toFixed(2)],
    };
    console.table([result]);
    console.log(`results: ${writeResults('search', result)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The smoke size (5,000 rows). */
export const benchSearch = () => benchSearchRows(5000);
/** The size (200,000 rows). */
export const benchSearchFull = () => benchSearchRows(200_000);

/**
 * One fit of the full search's size alone: GradientBoostingClassifier (100 rounds, 255 bins, 31
 * leaves, 20 rows per leaf) on 160,000 rows (a 200,000-row search's training fold), 1 native
 * thread, best of 4 by wall and by CPU time; scikit-learn's HistGradientBoostingClassifier with the
 * same parameters on 1 thread (threadpoolctl) in the same run (bench/peers/sklearn_one_fit.py).
 * Run: npm run bench -- search-fit
 */
export async function benchSearchFit(): Promise<void> {
  const n = 160_000,
    fits = 4;
  const dir = mkdtempSync(join(tmpdir(), 'kiln-search-fit-'));
  try {
    await flights(dir);
    const { p } = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    const X = f64(join(dir, 'xtrain.f64'), n * p);
    const y = Array.from(f64(join(dir, 'ytrain.f64'), n));
    const threadsBefore = getThreads();
    setThreads(1);
    let wall = Infinity,
      cpu = Infinity;
    for (let i = 0; i < fits; i++) {
      const c0 = process.cpuUsage(),
        t0 = performance.now();
      await new GradientBoostingClassifier({ nEstimators: 100, maxBins: 255, maxLeaves: 31, minDataInLeaf: 20 }).fit(new Matrix(X, n, p), y);
      const c = process.cpuUsage(c0);
      wall = Math.min(wall, performance.now() - t0);
      cpu = Math.min(cpu, (c.user + c.system) / 1000);
    }
    setThreads(threadsBefore);
    const [peer] = runPeer('scikit-learn one fit', 'sklearn_one_fit.py', [dir, String(n), String(p), String(fits)]);
    const result = {
      rows: n,
      kilnWallMs: Math.round(wall),
      kilnCpuMs: Math.round(cpu),
      sklearnWallMs: peer ? Math.round(peer.wallMs) : null,
      sklearnCpuMs: peer ? Math.round(peer.cpuMs) : null,
      cpuRatio: peer ? +(cpu / peer.cpuMs).toFixed(3) : null,
      load: +loadavg()[0].toFixed(2),
    };
    console.table([result]);
    console.log(`results: ${writeResults('search-fit', result)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
