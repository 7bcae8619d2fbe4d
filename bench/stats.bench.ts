/**
 * Statistics on 1,000,000-row columns: skew and kurtosis of one column, and the Pearson and
 * Spearman matrices of 8 columns — kiln (f64 loops; the Pearson/Spearman matrices both in f64
 * (corrSync) and through the f32 GEMM (corr)) vs scipy.stats.skew/kurtosis and pandas'
 * DataFrame.corr on the same arrays in the same run. Results are checked to agree.
 * Run: npm run bench -- stats   (KILN_STATS_ROWS=20000 for a smoke run; results in bench/results/stats.json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corr, corrSync, kurtosis, Matrix, Rng, skew } from '../src/index.js';
import { measure, runPeer, writeResults } from './lib.js';

export async function benchStats(): Promise<void> {
  const rows = Number(process.env.KILN_STATS_ROWS ?? 1_000_000),
    cols = 8;
  const rng = new Rng(7);
  // correlated columns with a skewed one among them, so the matrices are not trivial
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = rng.random();
    for (let c = 0; c < cols; c++) data[r * cols + c] = c === 0 ? Math.exp(2 * base) : base * c + rng.random();
  }
  const X = new Matrix(data, rows, cols);
  const col0 = Float64Array.from({ length: rows }, (_, r) => data[r * cols]);
  const t = await measure(
    {
      skew: () => skew(col0),
      kurtosis: () => kurtosis(col0),
      'pearson f64': () => corrSync(X),
      'pearson gemm': () => corr(X, { gemm: true }),
      'spearman f64': () => corrSync(X, { method: 'spearman' }),
      'spearman gemm': () => corr(X, { method: 'spearman', gemm: true }),
    },
    { time: 300, iterations: 3, warmupIterations: 1 },
  );
  const exact = corrSync(X).matrix.data,
    viaGemm = (await corr(X, { gemm: true })).matrix.data;
  const gemmMaxErr = Math.max(...exact.map((v, i) => Math.abs(v - viaGemm[i])));

  const dir = mkdtempSync(join(tmpdir(), 'kiln-stats-bench-'));
  let peer: any = {};
  try {
    const file = join(dir, 'x.f64');
    writeFileSync(file, data);
    [peer] = runPeer('scipy/pandas stats', 'scipy_stats.py', [file, String(rows), String(cols)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const agree = peer?.skew === undefined ? null : Math.abs(peer.skew - skew(col0)) < 1e-9 * Math.abs(peer.skew) && Math.abs(peer.pearson01 - exact[1]) < 1e-12;
  const out = { rows, cols, kiln: t, gemmMaxErr, peer, agree };
  console.log(JSON.stringify(out, null, 1));
  writeResults('stats', out);
}
