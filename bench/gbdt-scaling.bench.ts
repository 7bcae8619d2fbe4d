/**
 * Gradient boosting's scaling curve (issue #24): train time on synthetic rows shaped like the
 * flights set (4 numeric features, 2 categorical of 50 levels, a nonlinear logit; gbdt.bench.ts's
 * `synthetic`) from 0.1M to 20M rows, kiln (plain and GOSS) and XGBoost `hist` in the same run,
 * each in its own process on the same arrays (gbdt-train.ts, peers/xgboost_gbdt.py: 100 rounds,
 * 31 leaves, 255 bins, 2 threads, categorical splits on both sides), alternating at each size.
 * The fitted exponent is the least-squares slope of log(fit time) over log(rows): 1 is linear.
 * KILN_SCALING_MAX_ROWS caps the largest size (default 20,000,000).
 * Run: npm run bench -- gbdt-scaling   (results in bench/results/gbdt-scaling.json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, synthetic } from './gbdt.bench.js';
import { writeResults } from './lib.js';

const SIZES = [100_000, 300_000, 1_000_000, 3_000_000, 10_000_000, 20_000_000];
const TEST = 20_000;

/** Least-squares slope of log y over log x. */
function exponent(x: number[], y: number[]): number {
  const lx = x.map(Math.log),
    ly = y.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length,
    my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** The arrays the train scripts read: n training rows, TEST test rows (the same generator, one draw). */
function writeSet(dir: string, n: number): void {
  const { X, y } = synthetic(n + TEST);
  const p = X.cols;
  writeFileSync(join(dir, 'xtrain.f64'), X.data.subarray(0, n * p));
  writeFileSync(join(dir, 'ytrain.f64'), Float64Array.from(y.slice(0, n)));
  writeFileSync(join(dir, 'xtest.f64'), X.data.subarray(n * p));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ p, train: n, test: TEST, categorical: [4, 5] }));
}

export async function benchGbdtScaling(): Promise<void> {
  const max = Number(process.env.KILN_SCALING_MAX_ROWS ?? 20_000_000);
  const sizes = SIZES.filter((n) => n <= max);
  const child = fileURLToPath(new URL('./gbdt-train.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
  const peer = fileURLToPath(new URL('./peers/xgboost_gbdt.py', import.meta.url));
  const rows: { rows: number; kilnFitS: number | null; kilnGossFitS: number | null; xgbFitS: number | null; ratio: number | null; gossRatio: number | null }[] =
    [];
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-gbdt-scaling-'));
    try {
      writeSet(dir, n);
      const kiln = run(tsx, [child, dir, '100', '2', '1', '0', 'none']);
      const xgb = run('/usr/bin/python3', [peer, dir, '100', '2', '1']);
      const goss = run(tsx, [child, dir, '100', '2', '1', '0', 'goss']);
      const s = (r: Record<string, number> | null) => (r ? +(r.fitMs / 1000).toFixed(2) : null);
      rows.push({
        rows: n,
        kilnFitS: s(kiln),
        kilnGossFitS: s(goss),
        xgbFitS: s(xgb),
        ratio: kiln && xgb ? +(kiln.fitMs / xgb.fitMs).toFixed(3) : null,
        gossRatio: goss && xgb ? +(goss.fitMs / xgb.fitMs).toFixed(3) : null,
      });
      console.table([rows[rows.length - 1]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const fitted = (key: 'kilnFitS' | 'kilnGossFitS' | 'xgbFitS') => {
    const ok = rows.filter((r) => r[key] !== null);
    return ok.length >= 2
      ? +exponent(
          ok.map((r) => r.rows),
          ok.map((r) => r[key]!),
        ).toFixed(3)
      : null;
  };
  const exponents = { kiln: fitted('kilnFitS'), kilnGoss: fitted('kilnGossFitS'), xgboost: fitted('xgbFitS') };
  console.log('fitted exponents (log time over log rows):', exponents);
  console.log(`results: ${writeResults('gbdt-scaling', { rows, exponents })}`);
}
