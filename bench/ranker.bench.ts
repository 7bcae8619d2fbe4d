/**
 * Learning to rank: GradientBoostingRanker (LambdaRank, native) against XGBoost 1.7's
 * XGBRanker(objective='rank:ndcg') on the same synthetic queries (20 items each, 20 features,
 * relevance 0..4 from a nonlinear score plus noise): fit time with 2 threads, 100 rounds, 31
 * leaves, learning rate 0.1 on both sides, and held-out NDCG@10 of both sides' scores, computed
 * by kiln's ranker.score definition (gain 2^rel − 1). Each side's fastest of KILN_BENCH_REPEATS
 * (default 3) fits is reported.
 * Run: npm run bench -- ranker   (results in bench/results/ranker.json)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GradientBoostingRanker, Matrix, Rng, setThreads } from '../src/index.js';
import { runPeer, writeResults } from './lib.js';

const ROUNDS = 100,
  THREADS = 2,
  ITEMS = 20,
  P = 20;
const REPEATS = Number(process.env.KILN_BENCH_REPEATS ?? 3);

function queries(count: number, rng: Rng): { X: Matrix; y: Float64Array; group: number[] } {
  const n = count * ITEMS,
    X = new Float64Array(n * P),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < P; f++) X[i * P + f] = rng.normal();
    const r = X.subarray(i * P, (i + 1) * P);
    const latent = r[0] + 0.8 * Math.sin(2 * r[1]) + 0.5 * r[2] * r[3] - 0.4 * Math.abs(r[4]) + 0.3 * r[5] + 0.5 * rng.normal();
    y[i] = [0, 0.8, 1.5, 2.2].filter((t) => latent >= t).length;
  }
  return { X: new Matrix(X, n, P), y, group: new Array(count).fill(ITEMS) };
}

export async function benchRanker(): Promise<void> {
  setThreads(THREADS);
  const results: Record<string, unknown>[] = [];
  for (const trainQueries of [1_000, 10_000]) {
    const rng = new Rng(5);
    const train = queries(trainQueries, rng),
      test = queries(1_000, rng);
    const dir = mkdtempSync(join(tmpdir(), 'kiln-rank-'));
    try {
      writeFileSync(join(dir, 'xtrain.f64'), train.X.data as Float64Array);
      writeFileSync(join(dir, 'ytrain.f64'), train.y);
      writeFileSync(join(dir, 'xtest.f64'), test.X.data as Float64Array);
      writeFileSync(join(dir, 'meta.json'), JSON.stringify({ p: P, group: train.group }));
      let kilnMs = Infinity,
        xgbMs = Infinity,
        model: GradientBoostingRanker | undefined;
      for (let r = 0; r < REPEATS; r++) {
        const t = performance.now();
        model = await new GradientBoostingRanker({ nEstimators: ROUNDS, backend: 'native' }).fit(train.X, train.y, { group: train.group });
        kilnMs = Math.min(kilnMs, performance.now() - t);
        const peer = runPeer('xgboost ranker', 'xgboost_rank.py', [dir, String(ROUNDS), String(THREADS)])[0];
        if (peer) xgbMs = Math.min(xgbMs, peer.fitMs);
      }
      const kilnNdcg = await model!.score(test.X, test.y, { group: test.group });
      let xgbNdcg: number | null = null;
      if (Number.isFinite(xgbMs)) {
        const b = readFileSync(join(dir, 'xgb-scores.f64'));
        xgbNdcg = ndcgAt10(test.y, new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8), ITEMS);
      }
      results.push({
        queries: trainQueries,
        trainRows: train.X.rows,
        kilnFitS: +(kilnMs / 1000).toFixed(3),
        xgbFitS: Number.isFinite(xgbMs) ? +(xgbMs / 1000).toFixed(3) : null,
        speedup: Number.isFinite(xgbMs) ? +(xgbMs / kilnMs).toFixed(2) : null,
        kilnNdcg10: +kilnNdcg.toFixed(4),
        kilnNdcg10Check: +ndcgAt10(test.y, await model!.predict(test.X), ITEMS).toFixed(4),
        xgbNdcg10: xgbNdcg === null ? null : +xgbNdcg.toFixed(4),
      });
      console.table([results[results.length - 1]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`results: ${writeResults('ranker', results)}`);
}

/** Mean NDCG@10 over queries of `items` rows (gain 2^rel − 1, ties in row order, equal labels 1). */
function ndcgAt10(y: Float64Array, s: Float64Array, items: number): number {
  let total = 0;
  for (let b = 0; b < y.length; b += items) {
    const rows = Array.from({ length: items }, (_, i) => b + i);
    const order = [...rows].sort((i, j) => s[j] - s[i] || i - j);
    const ideal = rows.map((i) => y[i]).sort((u, v) => v - u);
    let dcg = 0,
      best = 0;
    for (let r = 0; r < 10; r++) {
      dcg += (2 ** y[order[r]] - 1) / Math.log2(r + 2);
      best += (2 ** ideal[r] - 1) / Math.log2(r + 2);
    }
    total += best > 0 ? dcg / best : 1;
  }
  return total / (y.length / items);
}
