/**
 * Drift at scale: 1,000,000 reference × 1,000,000 current rows × 20 features (f64, half of them
 * shifted), kiln's per-feature KS p-value, normed Wasserstein distance and Jensen–Shannon distance
 * (driftReport with each method) vs scipy's ks_2samp + wasserstein_distance + jensenshannon on the
 * same arrays in the same run (bench/peers/scipy_drift.py). Values are checked to agree.
 * Run: npm run bench -- drift   (DRIFT_ROWS, DRIFT_FEATURES override the sizes; results in bench/results/drift.json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driftReport, Rng } from '../src/index.js';
import { runPeer, writeResults } from './lib.js';

const ROWS = Number(process.env.DRIFT_ROWS ?? 1_000_000);
const FEATURES = Number(process.env.DRIFT_FEATURES ?? 20);

export async function benchDrift(): Promise<void> {
  const rng = new Rng(3);
  const ref = new Float64Array(ROWS * FEATURES),
    cur = new Float64Array(ROWS * FEATURES);
  for (let f = 0; f < FEATURES; f++) {
    const shift = f % 2 ? 0.05 * f : 0;
    for (let i = 0; i < ROWS; i++) {
      ref[f * ROWS + i] = rng.normal();
      cur[f * ROWS + i] = rng.normal() + shift;
    }
  }
  const names = Array.from({ length: FEATURES }, (_, f) => `f${f}`);
  const table = (x: Float64Array) => ({ rows: ROWS, columns: Object.fromEntries(names.map((n, f) => [n, x.subarray(f * ROWS, (f + 1) * ROWS)])) });
  const reference = table(ref),
    current = table(cur);
  const t = performance.now();
  const ks = driftReport(reference, current, { method: 'ks' }).features.map((x) => x.statistic);
  const w = driftReport(reference, current, { method: 'wasserstein' }).features.map((x) => x.statistic);
  const js = driftReport(reference, current, { method: 'jensenshannon' }).features.map((x) => x.statistic);
  const kilnSeconds = (performance.now() - t) / 1000;

  const dir = mkdtempSync(join(tmpdir(), 'kiln-drift-'));
  let peer: { seconds: number; ks: number[]; wasserstein: number[]; js: number[] } | undefined;
  try {
    writeFileSync(join(dir, 'ref.f64'), ref);
    writeFileSync(join(dir, 'cur.f64'), cur);
    peer = runPeer('scipy', 'scipy_drift.py', [join(dir, 'ref.f64'), join(dir, 'cur.f64'), String(FEATURES)])[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const maxDiff = (a: number[], b: number[] | undefined) => (b ? Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.max(1e-300, Math.abs(b[i])))) : null);
  const result = {
    rows: ROWS,
    features: FEATURES,
    kilnSeconds: Number(kilnSeconds.toFixed(3)),
    scipySeconds: peer ? Number(peer.seconds.toFixed(3)) : null,
    speedup: peer ? Number((peer.seconds / kilnSeconds).toFixed(2)) : null,
    maxRelDiff: { ks: maxDiff(ks, peer?.ks), wasserstein: maxDiff(w, peer?.wasserstein), js: maxDiff(js, peer?.js) },
  };
  console.table([result]);
  console.log(`results: ${writeResults('drift', result)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDrift();
