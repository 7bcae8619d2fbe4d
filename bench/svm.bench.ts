/**
 * Kernel SVMs, kiln vs scikit-learn in the same run: SVC (rbf, C = 1, gamma 'scale', cacheSize
 * 200 MB, tol 1e-3) fitted on N × 20 rows of a noisy non-linear two-class problem (N = 20,000, the
 * issue's size; KILN_BENCH_SMALL=1: 3,000, a smoke test, not a measurement), then decisionFunction
 * on 2,000 rows. Both sides run LIBSVM's algorithm on the same f64 data, so the iteration counts
 * and support vector counts should agree; the table shows them beside the times.
 * Run: npm run bench -- svm   (results in bench/results/svm[-small].json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matrix, Rng, SVC } from '../src/index.js';
import { runPeer, writeResults } from './lib.js';

const small = process.env.KILN_BENCH_SMALL === '1';
const N = small ? 3_000 : 20_000,
  D = 20,
  TEST = 2_000;

/** Standard normal features; the label is the sign of a non-linear score plus noise. */
function data(seed: number): { X: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: N * D }, () => rng.normal());
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const r = X.subarray(i * D, i * D + D);
    const s = r[0] * r[1] + 0.7 * r[2] - 0.5 * Math.sin(2 * r[3]) + 0.3 * r[4] * r[4] - 0.3 + 0.6 * rng.normal();
    y[i] = s > 0 ? 1 : 0;
  }
  return { X, y };
}

export async function benchSvm(): Promise<void> {
  const { X, y } = data(7);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-svm-'));
  try {
    writeFileSync(join(dir, 'X.f64'), X);
    writeFileSync(join(dir, 'y.f64'), y);
    const peer = runPeer('scikit-learn', 'sklearn_svm.py', [join(dir, 'X.f64'), join(dir, 'y.f64'), String(N), String(D), String(TEST)]);
    const sk = peer.find((r) => r.op === 'svc_rbf');
    const Xm = new Matrix(X, N, D);
    let t = performance.now();
    const m = await new SVC({ kernel: 'rbf', C: 1, gamma: 'scale', cacheSize: 200, tol: 1e-3 }).fit(Xm, Array.from(y));
    const fitMs = performance.now() - t;
    t = performance.now();
    const dec = (await m.decisionFunction(new Matrix(X.subarray(0, TEST * D), TEST, D))) as Float64Array;
    const decisionMs = performance.now() - t;
    const row = {
      n: N,
      d: D,
      kilnFitMs: fitMs,
      kilnDecisionMs: decisionMs,
      kilnNSV: m.support.length,
      kilnNIter: m.nIter[0],
      kilnDecisionSum: dec.reduce((s, v) => s + v, 0),
      sklearn: sk ?? null,
      fitSpeedup: sk ? sk.fitMs / fitMs : null,
      decisionSpeedup: sk ? sk.decisionMs / decisionMs : null,
    };
    console.table([
      {
        op: `SVC rbf fit ${N}×${D}`,
        kilnMs: fitMs.toFixed(0),
        sklearnMs: sk?.fitMs?.toFixed(0) ?? '-',
        speedup: row.fitSpeedup?.toFixed(2) ?? '-',
        nSV: `${row.kilnNSV} / ${sk?.nSV ?? '-'}`,
        nIter: `${row.kilnNIter} / ${sk?.nIter ?? '-'}`,
      },
      {
        op: `SVC decisionFunction ${TEST} rows`,
        kilnMs: decisionMs.toFixed(0),
        sklearnMs: sk?.decisionMs?.toFixed(0) ?? '-',
        speedup: row.decisionSpeedup?.toFixed(2) ?? '-',
      },
    ]);
    console.log(`written ${writeResults(small ? 'svm-small' : 'svm', row)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
