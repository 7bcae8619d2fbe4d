/**
 * PCA of ROWS × 128 float32 to 16 components (default 1,000,000 rows; KILN_BENCH_PCA_ROWS for a
 * small smoke run), solvers 'full' and 'randomized', kiln (native) vs scikit-learn's PCA on the
 * same array in the same run (bench/peers/sklearn_pca.py). The explained variances are checked
 * to agree (1e-3 relative: f32 data on both sides). Then t-SNE (Barnes-Hut) of TSNE_ROWS × 50
 * (default 10,000; KILN_BENCH_TSNE_ROWS) vs scikit-learn's TSNE, with each embedding's
 * trustworthiness (first 2,000 rows, 5 neighbours) as the quality check.
 * Run: npm run bench -- decomposition   (results in bench/results/decomposition.json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matrix, PCA, Rng, TSNE, trustworthiness } from '../src/index.js';
import { runPeer, writeResults } from './lib.js';

const COLS = 128,
  K = 16;

/** Data with a decaying spectrum: 32 latent factors mixed into 128 columns, plus noise. */
function data(rows: number): Float32Array {
  const rng = new Rng(11);
  const mix = Float64Array.from({ length: 32 * COLS }, () => rng.normal());
  const x = new Float32Array(rows * COLS),
    f = new Float64Array(32);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 32; j++) f[j] = rng.normal() / (1 + j);
    for (let c = 0; c < COLS; c++) {
      let v = 3 + 0.1 * rng.normal();
      for (let j = 0; j < 32; j++) v += f[j] * mix[j * COLS + c];
      x[i * COLS + c] = v;
    }
  }
  return x;
}

export async function benchDecomposition(): Promise<void> {
  const rows = Number(process.env.KILN_BENCH_PCA_ROWS ?? 1_000_000);
  const x = data(rows);
  const X = new Matrix(x, rows, COLS);
  const kiln: Record<string, { fitMs: number; ev: number[] }> = {};
  for (const svdSolver of ['full', 'randomized'] as const) {
    await new PCA({ nComponents: K, svdSolver, backend: 'native' }).fit(new Matrix(x.subarray(0, 1000 * COLS), 1000, COLS)); // warm-up
    const t = performance.now();
    const pca = await new PCA({ nComponents: K, svdSolver, backend: 'native' }).fit(X);
    kiln[svdSolver] = { fitMs: performance.now() - t, ev: Array.from(pca.explainedVariance) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-pca-'));
  const file = join(dir, 'x.f32');
  writeFileSync(file, Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  const peer = runPeer('scikit-learn PCA', 'sklearn_pca.py', [file, String(rows), String(COLS), String(K)]);
  rmSync(dir, { recursive: true, force: true });
  const out: Record<string, unknown> = { rows, cols: COLS, k: K };
  for (const solver of ['full', 'randomized'] as const) {
    const sk = peer.find((p) => p.solver === solver);
    const agree = sk ? kiln[solver].ev.every((v, i) => Math.abs(v - sk.ev[i]) <= 1e-3 * sk.ev[i]) : null;
    out[solver] = { kilnMs: kiln[solver].fitMs, sklearnMs: sk?.fitMs ?? null, speedup: sk ? sk.fitMs / kiln[solver].fitMs : null, agree };
    console.log(
      `PCA ${rows}×${COLS}→${K} ${solver}: kiln ${kiln[solver].fitMs.toFixed(0)} ms` +
        (sk ? `, scikit-learn ${sk.fitMs.toFixed(0)} ms (×${(sk.fitMs / kiln[solver].fitMs).toFixed(2)}), variances agree: ${agree}` : ''),
    );
  }
  out.tsne = await benchTsne();
  console.log(`results: ${writeResults('decomposition', out)}`);
}

/** Ten Gaussian clusters in 50 dimensions (a digits-like layout of well-separated groups). */
function clusters(rows: number, cols: number): Float32Array {
  const rng = new Rng(5);
  const centres = Float64Array.from({ length: 10 * cols }, () => 4 * rng.normal());
  const x = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const g = i % 10;
    for (let c = 0; c < cols; c++) x[i * cols + c] = centres[g * cols + c] + rng.normal();
  }
  return x;
}

async function benchTsne(): Promise<unknown> {
  const rows = Number(process.env.KILN_BENCH_TSNE_ROWS ?? 10_000),
    cols = 50;
  const x = clusters(rows, cols);
  const X = new Matrix(Float64Array.from(x), rows, cols);
  const t = performance.now();
  const E = await new TSNE({ randomState: 0 }).fitTransform(X);
  const kilnMs = performance.now() - t;
  const m = Math.min(rows, 2000);
  const head = (M: Matrix) => new Matrix(M.data.slice(0, m * M.cols), m, M.cols);
  const trust = trustworthiness(head(X), head(E));
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-tsne-'));
  const file = join(dir, 'x.f32');
  writeFileSync(file, Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  const [sk] = runPeer('scikit-learn TSNE', 'sklearn_tsne.py', [file, String(rows), String(cols)]);
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `t-SNE ${rows}×${cols}: kiln ${kilnMs.toFixed(0)} ms (trustworthiness ${trust.toFixed(4)})` +
      (sk ? `, scikit-learn ${sk.fitMs.toFixed(0)} ms (×${(sk.fitMs / kilnMs).toFixed(2)}, trustworthiness ${sk.trust.toFixed(4)})` : ''),
  );
  return { rows, cols, kilnMs, kilnTrust: trust, sklearnMs: sk?.fitMs ?? null, sklearnTrust: sk?.trust ?? null, speedup: sk ? sk.fitMs / kilnMs : null };
}
