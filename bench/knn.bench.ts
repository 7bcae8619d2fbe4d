/**
 * Exact k-NN: kiln's NearestNeighbors (native) vs FAISS IndexFlatL2 on the same
 * arrays, 1 and 2 threads: seeded gaussian blobs, 1,000 queries, k = 10, L2, bases
 * of 100,000 × 128 and 1,000,000 × 128 (f32). FAISS runs when /usr/bin/python3 has
 * it (apt-get install python3-faiss), with OMP_WAIT_POLICY=PASSIVE.
 * Recall@10 of both against an exact f64 scan of the first 50 queries.
 * Run: npm run bench -- knn   (results in bench/results/knn.json)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matrix, NearestNeighbors, Rng, setThreads } from '../src/index.js';
import { bruteForce } from '../src/backend/js/knn.js';
import { rowNorms64 } from '../src/backend/knn/exact-order.js';
import { nativeAddon } from '../src/backend/native/index.js';
import { runPeer, writeResults } from './lib.js';

const D = 128,
  NQ = 1000,
  K = 10,
  CLUSTERS = 100;

function blobs(rng: Rng, centers: Float32Array, rows: number, stride: number): Float32Array {
  const out = new Float32Array(rows * D);
  for (let i = 0; i < rows; i++) {
    const c = ((i * stride) % CLUSTERS) * D;
    for (let t = 0; t < D; t++) out[i * D + t] = centers[c + t] + rng.normal();
  }
  return out;
}

function recall(found: ArrayLike<number>, exact: Int32Array, queries: number): number {
  let hits = 0;
  for (let q = 0; q < queries; q++) {
    const want = new Set(Array.from(exact.subarray(q * K, q * K + K)));
    for (let t = 0; t < K; t++) if (want.has(Number(found[q * K + t]))) hits++;
  }
  return hits / (queries * K);
}

async function timeKiln(nn: NearestNeighbors, Q: Matrix, seconds: number): Promise<number> {
  await nn.kneighbors(Q);
  const times: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (times.length < 3 || (performance.now() < deadline && times.length < 20)) {
    const t = performance.now();
    await nn.kneighbors(Q);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

export async function benchKnn(): Promise<void> {
  const threadsMax = nativeAddon().info().threads;
  const dir = mkdtempSync(join(tmpdir(), 'kiln-knn-'));
  const rows: Record<string, unknown>[] = [];
  try {
    for (const n of [100_000, 1_000_000]) {
      const rng = new Rng(42);
      const centers = new Float32Array(CLUSTERS * D).map(() => rng.normal() * 4);
      const base = blobs(rng, centers, n, 1),
        queries = blobs(rng, centers, NQ, 7);
      const X = new Matrix(base, n, D),
        Q = new Matrix(queries, NQ, D);
      const rssBefore = process.memoryUsage().rss;
      const nn = await new NearestNeighbors({ nNeighbors: K, backend: 'native' }).fit(X);
      const first = await nn.kneighbors(Q);
      const extraMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
      const exact = bruteForce(
        {
          metric: 'euclidean',
          base,
          n,
          d: D,
          baseNorms: rowNorms64(base, n, D),
          queries: queries.subarray(0, 50 * D),
          queryNorms: rowNorms64(queries, 50, D),
          k: K,
          excludeSelf: false,
        },
        50,
      );
      writeFileSync(join(dir, 'base.f32'), base);
      writeFileSync(join(dir, 'q.f32'), queries);
      const faissRuns = runPeer('FAISS', 'faiss_knn.py', [join(dir, 'base.f32'), join(dir, 'q.f32'), String(D), String(K), '1', String(threadsMax)]);
      const faissRecall = faissRuns.length
        ? recall(
            new BigInt64Array(readFileSync(join(dir, 'q.f32.faiss-idx')).buffer.slice(0)).subarray(0, 50 * K) as unknown as ArrayLike<number>,
            exact.indices,
            50,
          )
        : NaN;
      for (const threads of [1, threadsMax]) {
        setThreads(threads);
        const ms = await timeKiln(nn, Q, n > 100_000 ? 4 : 3);
        const f = faissRuns.find((r) => r.threads === threads);
        rows.push({
          base: `${n} × ${D}`,
          threads,
          kilnQps: Math.round((NQ / ms) * 1000),
          faissQps: f ? Math.round((NQ / f.medianMs) * 1000) : null,
          ratio: f ? +(f.medianMs / ms).toFixed(2) : null,
          kilnRecall: recall(first.indices, exact.indices, 50),
          faissRecall,
          kilnExtraMiB: Math.round(extraMiB),
        });
      }
      setThreads(threadsMax);
      nn.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(rows);
  console.log(`results: ${writeResults('knn', rows)}`);
}
