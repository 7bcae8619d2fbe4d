/**
 * The performance gate: ratios measured in one run, never absolute times (this
 * machine is shared and noisy). Each check times kiln against a baseline in the
 * same process and requires a minimum speed-up.
 * Run: npm run bench:gate            (full)
 *      npm run bench:gate -- --quick (CI: short timings)
 */
import { columnStats, GradientBoostingRegressor, Matrix, matmul, Rng, softmax } from '../src/index.js';
import { backends } from '../src/index.js';
import { measure, writeResults } from './lib.js';
import { arrowChunksVersusValues } from './arrow-gate.js';
import { parquetGeneralVersusFlat } from './parquet-gate.js';
import { treeGrowthVersusJs } from './grow-gate.js';
import { mlpEpochVersusJs } from './mlp-gate.js';
import { resolveKernels } from '../src/backend/select.js';

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

/** A check that times the same call on the js baseline and on native. */
function versusJs(name: string, minRatio: number, call: (backend: 'js' | 'native') => Promise<unknown>): Check {
  return {
    name,
    baseline: 'js',
    contender: 'native',
    minRatio,
    async run(time) {
      const t = await measure({ js: () => call('js'), native: () => call('native') }, { time });
      return { baselineMs: t.js.medianMs, contenderMs: t.native.medianMs };
    },
  };
}

const a256 = random(256, 256),
  b256 = random(256, 256);
const tall = random(200_000, 16);
const logits = random(20_000, 64);
// A boosted forest (50 trees, 31 leaves) trained once; prediction is timed on each backend.
const rowsX = random(20_000, 8);
const forest = await new GradientBoostingRegressor({ nEstimators: 50, backend: 'native' }).fit(
  rowsX,
  Array.from({ length: 20_000 }, (_, i) => rowsX.data[i * 8] * rowsX.data[i * 8 + 1] + Math.sin(3 * rowsX.data[i * 8 + 2])),
);
// Single rows through predictSync (a Float64Array row, no Matrix), 1,000 rows a sample: native's
// bound-buffer call and bitvector scorer against the js walk of the same trees.
const singleRows = Array.from({ length: 1000 }, (_, i) => Float64Array.from(rowsX.data.subarray(i * 8, i * 8 + 8)));
// A GOSS round's row sample (the hist family's sampleRows) of 400,000 rows, from logistic-like
// gradients; GOSS scales the drawn rows' gradients in place, so each call starts from a fresh copy.
const sampleN = 400_000,
  sampleGradients = Float64Array.from({ length: 2 * sampleN }, (_, i) => (i % 2 ? 0.25 * rng.random() : 2 * rng.random() - 1)),
  sampleScratch = new Float64Array(2 * sampleN),
  sampleOut = new Int32Array(sampleN);
const checks: Check[] = [
  versusJs('matmul 256³', 10, (backend) => matmul(a256, b256, { backend })),
  versusJs('columnStats 200000×16', 3, (backend) => columnStats(tall, { backend })),
  versusJs('softmax 20000×64', 3, (backend) => softmax(logits, { backend })),
  versusJs('forest predict 20000 rows × 50 trees', 1.5, (backend) => forest.setParams({ backend }).predict(rowsX)),
  versusJs('predictSync 1000 single rows × 50 trees', 2, async (backend) => {
    forest.setParams({ backend });
    for (const r of singleRows) forest.predictSync(r);
  }),
  versusJs('GOSS row sample 400000 rows', 4, async (backend) => {
    sampleScratch.set(sampleGradients);
    const { kernels } = await resolveKernels('hist', backend, 1, 'gate');
    await kernels.sampleRows({ strategy: 'goss', n: sampleN, k: 1, gradHess: sampleScratch, rate: 1, topRate: 0.2, otherRate: 0.1, seed: 5, out: sampleOut });
  }),
  treeGrowthVersusJs(),
  mlpEpochVersusJs(),
  parquetGeneralVersusFlat(),
  arrowChunksVersusValues(),
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
    check: check.name,
    [`${check.baseline} ms`]: +baselineMs.toFixed(3),
    [`${check.contender} ms`]: +contenderMs.toFixed(3),
    ratio: +ratio.toFixed(1),
    required: check.minRatio,
    ok,
  });
}
console.table(results);
console.log(`results: ${writeResults(quick ? 'gate-quick' : 'gate', results)}`);
console.log(failed ? `bench:gate FAILED (${failed} check(s) below their ratio)` : 'bench:gate passed');
process.exit(failed ? 1 : 0);
