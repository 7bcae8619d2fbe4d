/**
 * Anomaly detection and mixtures, kiln vs scikit-learn in the same run: IsolationForest fit and
 * score (score_samples on the training rows) on N × 16 f32 rows with 100 trees — N = 100,000 by
 * default, 1,000,000 with KILN_BENCH_FULL=1 (the size) — and GaussianMixture fit (full
 * covariance, k = 5, on 50,000 × 8; 200,000 × 8 full) from the same initialisation on both sides
 * (means = the first k rows, uniform weights, identity precisions), so both run the same EM path;
 * kiln's fit is timed after a warm-up fit on the first 1,000 rows.
 * KILN_BENCH_SMALL=1 shrinks every size (a smoke test of the suite, not a measurement).
 * Run: npm run bench -- anomaly   (results in bench/results/anomaly[-full|-small].json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaussianMixture, IsolationForest, Matrix, Rng } from '../src/index.js';
import { runPeer, writeResults } from './lib.js';

const small = process.env.KILN_BENCH_SMALL === '1';
const full = process.env.KILN_BENCH_FULL === '1';
const ISO = { n: small ? 10_000 : full ? 1_000_000 : 100_000, d: 16, trees: 100 };
const GMM = { n: small ? 5_000 : full ? 200_000 : 50_000, d: 8, k: 5, maxIter: 100, tol: 1e-3 };

/** Gaussian blobs with a few far rows (the anomalies). */
function data(n: number, d: number, centres: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const c = Float64Array.from({ length: centres * d }, () => rng.normal() * 4);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const j = rng.int(centres);
    const far = rng.random() < 0.01 ? 8 : 1;
    for (let f = 0; f < d; f++) x[i * d + f] = c[j * d + f] + far * rng.normal();
  }
  return x;
}

export async function benchAnomaly(): Promise<void> {
  const iso = data(ISO.n, ISO.d, 4, 1);
  const gmm = data(GMM.n, GMM.d, GMM.k, 2);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-anomaly-'));
  try {
    writeFileSync(join(dir, 'iso.f32'), iso);
    writeFileSync(join(dir, 'gmm.f32'), gmm);
    const peer = runPeer('scikit-learn', 'sklearn_anomaly.py', [
      join(dir, 'iso.f32'),
      String(ISO.n),
      String(ISO.d),
      String(ISO.trees),
      join(dir, 'gmm.f32'),
      String(GMM.n),
      String(GMM.d),
      String(GMM.k),
      String(GMM.maxIter),
      String(GMM.tol),
    ]);
    const sk = Object.fromEntries(peer.map((r) => [r.op, r]));
    const Xi = new Matrix(iso, ISO.n, ISO.d);
    let t = performance.now();
    const forest = await new IsolationForest({ nEstimators: ISO.trees, randomState: 0 }).fit(Xi);
    const fitMs = performance.now() - t;
    t = performance.now();
    const scores = await forest.scoreSamples(Xi);
    const scoreMs = performance.now() - t;
    const meanScore = scores.reduce((s, v) => s + v, 0) / scores.length;

    const Xg = new Matrix(Float64Array.from(gmm), GMM.n, GMM.d);
    const meansInit = Array.from({ length: GMM.k }, (_, j) => Array.from(gmm.subarray(j * GMM.d, (j + 1) * GMM.d)));
    const eye = Array.from({ length: GMM.d }, (_, a) => Array.from({ length: GMM.d }, (_, b) => (a === b ? 1 : 0)));
    const gmParams = {
      nComponents: GMM.k,
      covarianceType: 'full' as const,
      meansInit,
      weightsInit: Array(GMM.k).fill(1 / GMM.k),
      precisionsInit: Array(GMM.k).fill(eye),
      maxIter: GMM.maxIter,
      tol: GMM.tol,
    };
    // warm-up on the first 1,000 rows (compiles the EM loops, as the PCA bench warms its fit)
    await new GaussianMixture(gmParams).fit(new Matrix(Xg.data.slice(0, 1000 * GMM.d), 1000, GMM.d));
    t = performance.now();
    const gm = await new GaussianMixture(gmParams).fit(Xg);
    const gmMs = performance.now() - t;

    const isoSk = sk.isolation_forest;
    const rows = {
      isolationForest: {
        ...ISO,
        kilnFitMs: fitMs,
        kilnScoreMs: scoreMs,
        kilnMeanScore: meanScore,
        sklearn: isoSk ?? null,
        speedup: isoSk ? (isoSk.fitMs + isoSk.scoreMs) / (fitMs + scoreMs) : null,
      },
      gaussianMixture: {
        ...GMM,
        kilnMs: gmMs,
        kilnIter: gm.nIter,
        kilnLowerBound: gm.lowerBound,
        sklearn: sk.gaussian_mixture ?? null,
        speedup: sk.gaussian_mixture ? sk.gaussian_mixture.fitMs / gmMs : null,
      },
    };
    console.table([
      {
        op: `IsolationForest fit ${ISO.n}×${ISO.d}`,
        kilnMs: fitMs.toFixed(0),
        sklearnMs: isoSk?.fitMs?.toFixed(0) ?? '-',
      },
      {
        op: `IsolationForest score ${ISO.n}×${ISO.d}`,
        kilnMs: scoreMs.toFixed(0),
        sklearnMs: isoSk?.scoreMs?.toFixed(0) ?? '-',
        speedup: rows.isolationForest.speedup?.toFixed(2) ?? '-',
      },
      {
        op: `GaussianMixture fit ${GMM.n}×${GMM.d} k=${GMM.k}`,
        kilnMs: gmMs.toFixed(0),
        sklearnMs: sk.gaussian_mixture?.fitMs?.toFixed(0) ?? '-',
        speedup: rows.gaussianMixture.speedup?.toFixed(2) ?? '-',
      },
    ]);
    console.log(`written ${writeResults(small ? 'anomaly-small' : full ? 'anomaly-full' : 'anomaly', rows)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
