/**
 * Batch scoring: `kiln predict` on flights-3m (3,000,000 rows, Parquet) with a gradient-boosting
 * model trained by `kiln train`'s code on a 200,000-row sample (delay from distance, origin,
 * destination and the departure time's hour, weekday and day of year). Each scoring run is its
 * own process (`kiln predict … --json`), so its peak RSS (getrusage maxrss) is its own: 1 row
 * (start-up and model load), 1M rows and 3M rows — constant memory means the last two match —
 * and the same with V8's old space capped at 96 MiB, which a run holding the data could not fit.
 * Each line also gives the process's CPU time (all threads: less sensitive than seconds to other
 * work on the machine) and the 1-minute load average after the run.
 * Run: npm run bench -- batch   (results in bench/results/batch.json)
 * Options (env): BATCH_SIZE (rows per model call, default 65,536), BATCH_CSV=1 (also score 1M rows from CSV).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { train } from '../src/cli/train.js';
import type { PredictSummary } from '../src/cli/predict.js';
import { readParquet } from '../src/data/parquet.js';
import { writeResults } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FLIGHTS = join(ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet');

/** dist/ when it is built from the current CLI sources, else the sources through tsx. */
function cliCommand(): { args: string[]; via: string } {
  const dist = join(ROOT, 'dist/cli/index.js');
  const srcDir = join(ROOT, 'src/cli');
  const newest = Math.max(...readdirSync(srcDir).map((f) => statSync(join(srcDir, f)).mtimeMs));
  if (existsSync(dist) && statSync(dist).mtimeMs >= newest) return { args: [dist], via: 'dist' };
  return { args: ['--import', 'tsx', join(srcDir, 'index.ts')], via: 'tsx (dist/ is older than src/cli)' };
}

function score(cli: string[], input: string, out: string, limit: number, nodeFlags: string[] = []): PredictSummary {
  const args = [...nodeFlags, ...cli, 'predict', '-m', 'model.kiln', '-i', input, '-o', out, '--limit', String(limit), '--json'];
  if (process.env.BATCH_SIZE) args.push('--batch-size', process.env.BATCH_SIZE);
  const text = execFileSync(process.execPath, args, { cwd: dirOf(out), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  return JSON.parse(text) as PredictSummary;
}
const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/'));

/** The first `rows` rows of flights-3m as CSV (ISO dates), written a row group at a time. */
async function flightsCsv(path: string, rows: number): Promise<void> {
  const { createWriteStream } = await import('node:fs');
  const out = createWriteStream(path);
  out.write('date,delay,distance,origin,destination\n');
  for (let start = 0; start < rows; start += 250_000) {
    const t = await readParquet(FLIGHTS, { rowStart: start, rowEnd: Math.min(start + 250_000, rows) });
    const c = t.columns as { date: Float64Array; delay: Float64Array; distance: Float64Array; origin: string[]; destination: string[] };
    const lines: string[] = [];
    for (let r = 0; r < t.rows; r++) lines.push(`${new Date(c.date[r]).toISOString()},${c.delay[r]},${c.distance[r]},${c.origin[r]},${c.destination[r]}`);
    if (!out.write(`${lines.join('\n')}\n`)) await new Promise<void>((done) => out.once('drain', () => done()));
  }
  await new Promise((done) => out.end(done));
}

export async function benchBatch(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-batch-'));
  try {
    writeFileSync(
      join(dir, 'flights.yaml'),
      `
data: { source: "${FLIGHTS}", limit: 200000 }
target: delay
task: regression
features: { numeric: [distance], categorical: [origin, destination], datetime: [date] }
split: { method: time, orderBy: date, testSize: 0.2 }
preprocessing: { dateParts: [hour, dayOfWeek, dayOfYear] }
model: { class: GradientBoostingRegressor, params: { nEstimators: 100, maxLeaves: 31 } }
output: model.kiln
`,
    );
    const trained = await train(join(dir, 'flights.yaml'), { progress: false }, () => undefined);
    console.log(
      `model: GradientBoostingRegressor, 100 rounds, trained on 160,000 rows in ${trained.seconds.toFixed(1)} s (test MAE ${trained.metrics.mae.toFixed(2)} min)`,
    );
    const { args: cli, via } = cliCommand();
    console.log(`kiln predict via ${via}, one process per run`);
    const out = join(dir, 'preds.csv');
    const runs: Record<string, PredictSummary & { nodeFlags: string }> = {};
    const row = (name: string, s: PredictSummary, flags = '') => {
      runs[name] = { ...s, nodeFlags: flags };
      console.log(
        `${name.padEnd(34)} ${String(s.rows).padStart(9)} rows  ${s.seconds.toFixed(2).padStart(6)} s  ${Math.round(s.rowsPerSecond).toLocaleString('en-US').padStart(9)} rows/s  peak RSS ${s.peakRssMb.toFixed(0).padStart(4)} MiB  CPU ${s.cpuSeconds === undefined ? '-' : s.cpuSeconds.toFixed(2)} s  (load ${loadavg()[0].toFixed(1)})`,
      );
    };
    row('parquet, 1 row (start-up + load)', score(cli, FLIGHTS, out, 1));
    row('parquet, 1M rows', score(cli, FLIGHTS, out, 1_000_000));
    row('parquet, 3M rows', score(cli, FLIGHTS, out, 3_000_000));
    const capped = ['--max-old-space-size=96'];
    row('parquet, 1M rows, old space 96 MiB', score(cli, FLIGHTS, out, 1_000_000, capped), capped[0]);
    row('parquet, 3M rows, old space 96 MiB', score(cli, FLIGHTS, out, 3_000_000, capped), capped[0]);
    if (process.env.BATCH_CSV === '1') {
      const csv = join(dir, 'flights-1m.csv');
      await flightsCsv(csv, 1_000_000);
      row('csv, 1M rows', score(cli, csv, out, 1_000_000));
    }
    const path = writeResults('batch', { via, train: { seconds: trained.seconds, metrics: trained.metrics }, runs });
    console.log(`results: ${path}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchBatch();
