/**
 * Clustering fit time, kiln vs scikit-learn in the same run: KMeans on 1,000,000 × 32 f32 with
 * k = 100, one init, at most 50 Lloyd iterations from fixed initial centres (the first 100 rows) on
 * both sides (tol 0), with both inertias and iteration counts; kiln's Lloyd (which skips rows by
 * bounds) against the faster of scikit-learn's 'lloyd' and 'elkan'; DBSCAN on 100,000 × 8 f32 (clustered gaussian blobs).
 * IsolationForest and GaussianMixture are in anomaly.bench.ts. KILN_BENCH_SMALL=1 shrinks every size
 * (a smoke test of the suite, not a measurement).
 * Run: npm run bench -- cluster   (results in bench/results/cluster.json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DBSCAN, KMeans, Matrix, Rng } from '../src/index.js';
import { runPeer, writeResults } from './lib.js';

const small = process.env.KILN_BENCH_SMALL === '1';
const KM = { n: small ? 20_000 : 1_000_000, d: 32, k: small ? 20 : 100, iters: 50 };
const DB = { n: small ? 5_000 : 100_000, d: 8, eps: 0.9, minSamples: 10 };

function blobs(n: number, d: number, centres: number, spread: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const c = Float64Array.from({ length: centres * d }, () => rng.normal() * spread);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const j = rng.int(centres);
    for (let f = 0; f < d; f++) x[i * d + f] = c[j * d + f] + rng.normal();
  }
  return x;
}

export async function benchCluster(): Promise<void> {
  const km = blobs(KM.n, KM.d, 200, 3, 1);
  const db = blobs(DB.n, DB.d, 20, 6, 2);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-cluster-'));
  try {
    writeFileSync(join(dir, 'km.f32'), km);
    writeFileSync(join(dir, 'db.f32'), db);
    const peer = runPeer('scikit-learn', 'sklearn_cluster.py', [
      join(dir, 'km.f32'),
      String(KM.n),
      String(KM.d),
      String(KM.k),
      String(KM.iters),
      join(dir, 'db.f32'),
      String(DB.n),
      String(DB.d),
      String(DB.eps),
      String(DB.minSamples),
    ]);
    const init = Array.from({ length: KM.k }, (_, j) => Array.from(km.subarray(j * KM.d, (j + 1) * KM.d)));
    let t = performance.now();
    const model = await new KMeans({ nClusters: KM.k, init, maxIter: KM.iters, tol: 0, backend: 'native' }).fit(new Matrix(km, KM.n, KM.d));
    const kmMs = performance.now() - t;
    t = performance.now();
    const dbModel = await new DBSCAN({ eps: DB.eps, minSamples: DB.minSamples, backend: 'native' }).fit(new Matrix(db, DB.n, DB.d));
    const dbMs = performance.now() - t;
    const labels = dbModel.labels;
    const sk = Object.fromEntries(peer.map((r) => [r.op, r]));
    const rows = {
      kmeans: {
        ...KM,
        kilnMs: kmMs,
        kilnInertia: model.inertia,
        kilnIter: model.nIter,
        sklearn: sk.kmeans ?? null,
        speedup: sk.kmeans ? sk.kmeans.fitMs / kmMs : null,
      },
      dbscan: {
        ...DB,
        kilnMs: dbMs,
        clusters: Math.max(...labels) + 1,
        noise: labels.filter((v) => v === -1).length,
        sklearn: sk.dbscan ?? null,
        speedup: sk.dbscan ? sk.dbscan.fitMs / dbMs : null,
      },
    };
    console.table(
      Object.entries(rows).map(([op, r]) => ({
        op,
        kilnMs: r.kilnMs.toFixed(0),
        sklearnMs: r.sklearn?.fitMs?.toFixed(0) ?? '-',
        speedup: r.speedup?.toFixed(2) ?? '-',
      })),
    );
    const skKm = sk.kmeans;
    if (skKm) {
      console.log(
        `kmeans: kiln ${model.nIter} iterations, inertia ${model.inertia.toFixed(1)}; scikit-learn lloyd ${skKm.lloydMs.toFixed(0)} ms, elkan ${skKm.elkanMs.toFixed(0)} ms (${skKm.algorithm} faster), ${skKm.nIter} iterations, inertia ${skKm.inertia.toFixed(1)}`,
      );
    }
    console.log(`written ${writeResults(small ? 'cluster-small' : 'cluster', rows)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
