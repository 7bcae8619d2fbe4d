/**
 * The performance gate: ratios measured in one run, never absolute times (this
 * machine is shared and noisy). Each check times kiln against a baseline in the
 * same process and requires a minimum speed-up.
 * Run: npm run bench:gate            (full)
 *      npm run bench:gate -- --quick (CI: short timings)
 */
import { columnStats, Matrix, matmul, Rng, softmax } from '../src/index.js';
import { backends } from '../src/index.js';
import { measure, writeResults } from './lib.js';

interface Check {
  name: string;
  baseline: string;
  contender: string;
  minRatio: number;
  run(time: number): Promise<{ baselineMs: number; contenderMs: number }>;
}

const quick = process.argv.includes('--quick');
const rng = new Rng(7);
const random = (rows: number, cols: number) => {
  const d = new Float32Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = rng.random() * 2 - 1;
  return new Matrix(d, rows, cols);
};

const checks: Check[] = [
  {
    name: 'matmul 256³', baseline: 'js', contender: 'native', minRatio: 10,
    async run(time) {
      const a = random(256, 256), b = random(256, 256);
      const t = await measure({
        js: () => matmul(a, b, { backend: 'js' }),
        native: () => matmul(a, b, { backend: 'native' }),
      }, { time });
      return { baselineMs: t.js.medianMs, contenderMs: t.native.medianMs };
    },
  },
  {
    name: 'columnStats 200000×16', baseline: 'js', contender: 'native', minRatio: 3,
    async run(time) {
      const x = random(200_000, 16);
      const t = await measure({
        js: () => columnStats(x, { backend: 'js' }),
        native: () => columnStats(x, { backend: 'native' }),
      }, { time });
      return { baselineMs: t.js.medianMs, contenderMs: t.native.medianMs };
    },
  },
  {
    name: 'softmax 20000×64', baseline: 'js', contender: 'native', minRatio: 3,
    async run(time) {
      const x = random(20_000, 64);
      const t = await measure({
        js: () => softmax(x, { backend: 'js' }),
        native: () => softmax(x, { backend: 'native' }),
      }, { time });
      return { baselineMs: t.js.medianMs, contenderMs: t.native.medianMs };
    },
  },
];

const native = (await backends()).find((b) => b.name === 'native')!;
if (!native.available) {
  console.error(`bench:gate needs the native backend: ${native.reason}`);
  process.exit(1);
}
const results = [];
let failed = 0;
for (const check of checks) {
  const { baselineMs, contenderMs } = await check.run(quick ? 300 : 2000);
  const ratio = baselineMs / contenderMs;
  const ok = ratio >= check.minRatio;
  if (!ok) failed++;
  results.push({
    check: check.name, [`${check.baseline} ms`]: +baselineMs.toFixed(3), [`${check.contender} ms`]: +contenderMs.toFixed(3),
    ratio: +ratio.toFixed(1), required: check.minRatio, ok,
  });
}
console.table(results);
console.log(`results: ${writeResults(quick ? 'gate-quick' : 'gate', results)}`);
console.log(failed ? `bench:gate FAILED (${failed} check(s) below their ratio)` : 'bench:gate passed');
process.exit(failed ? 1 : 0);
