/** Runs the bench suites: `npm run bench` (all) or `npm run bench -- matmul`. */
import { benchArrow } from './arrow.bench.js';
import { benchBatch } from './batch-score.bench.js';
import { benchDrift } from './drift.bench.js';
import { benchDecomposition } from './decomposition.bench.js';
import { benchAnomaly } from './anomaly.bench.js';
import { benchCluster } from './cluster.bench.js';
import { benchGbdt } from './gbdt.bench.js';
import { benchGbdtParts } from './gbdt-parts.bench.js';
import { benchGbdtScaling } from './gbdt-scaling.bench.js';
import { benchGbdtGpu } from './gbdt-gpu.bench.js';
import { benchFirstCalls } from './first-calls.bench.js';
import { benchGemm } from './gemm.bench.js';
import { benchGpu } from './gpu.bench.js';
import { benchKnn } from './knn.bench.js';
import { benchLinear } from './linear.bench.js';
import { benchMatmul } from './matmul.bench.js';
import { benchMlp } from './mlp.bench.js';
import { benchOrder } from './order.bench.js';
import { benchPool } from './pool.bench.js';
import { benchPreprocess } from './preprocess.bench.js';
import { benchProfile } from './profile.bench.js';
import { benchRanker } from './ranker.bench.js';
import { benchServe } from './serve.bench.js';
import { benchSingleRow } from './single-row.bench.js';
import { benchTable } from './table.bench.js';
import { benchStats } from './stats.bench.js';
import { benchScaling } from './scaling.bench.js';
import { benchSearch, benchSearchFit, benchSearchFull } from './search.bench.js';
import { benchStudy } from './study.bench.js';
import { benchSvm } from './svm.bench.js';

import { benchPin } from './pin.bench.js';
const suites: Record<string, () => Promise<void>> = {
  arrow: benchArrow,
  batch: benchBatch,
  drift: benchDrift,
  decomposition: benchDecomposition,
  anomaly: benchAnomaly,
  cluster: benchCluster,
  gbdt: benchGbdt,
  'gbdt-parts': benchGbdtParts,
  'gbdt-scaling': benchGbdtScaling,
  'gbdt-gpu': benchGbdtGpu,
  'first-calls': benchFirstCalls,
  gemm: benchGemm,
  gpu: benchGpu,
  knn: benchKnn,
  linear: benchLinear,
  matmul: benchMatmul,
  mlp: benchMlp,
  order: benchOrder,
  pin: benchPin,
  pool: benchPool,
  preprocess: benchPreprocess,
  profile: benchProfile,
  ranker: benchRanker,
  scaling: benchScaling,
  search: benchSearch,
  'search-full': benchSearchFull,
  'search-fit': benchSearchFit,
  serve: benchServe,
  'single-row': benchSingleRow,
  table: benchTable,
  stats: benchStats,
  study: benchStudy,
  svm: benchSvm,
};
const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(suites)) {
  const suite = suites[name];
  if (!suite) {
    console.error(`unknown suite ${name}; known: ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  console.log(`# ${name}`);
  await suite();
}
