/**
 * The gate's tree-growth check: one 31-leaf tree of the hist engine (histograms, split search,
 * partitions, the score update) on 200,000 rows shaped like the gbdt bench's flights rows — in time
 * order, so month, day of week and hour run in long stretches and the partitions near the root
 * read their bins through 64-byte windows — native against the js oracle, each on its own binning.
 */
import { Matrix, Rng } from '../src/index.js';
import { BOOSTING_DEFAULTS, treeParams } from '../src/models/ensemble/booster.js';
import { fitBinMapper } from '../src/models/tree/binning.js';
import { binMatrix, growTree, treeBackend } from '../src/models/tree/engine.js';
import { measure } from './lib.js';

const ROWS = 200_000;

// The tree a default boosting fit grows (31 leaves, 20 rows a leaf), with the flights bench's hessian floor.
const PARAMS = treeParams({ ...BOOSTING_DEFAULTS, minSumHessianInLeaf: 1 }, 1);

export function treeGrowthVersusJs() {
  const rng = new Rng(21);
  const X = new Float64Array(ROWS * 6),
    gradHess = new Float64Array(2 * ROWS);
  for (let i = 0; i < ROWS; i++) {
    const day = Math.floor((i / ROWS) * 365),
      hour = Math.floor(((i / ROWS) * 365 * 24) % 24),
      origin = rng.int(229);
    X.set([1 + Math.floor(day / 31), day % 7, hour, rng.random() * 3000, origin, rng.int(229)], i * 6);
    const p = 1 / (1 + Math.exp(-(Math.sin(hour / 4) + (origin % 7 === 0 ? 0.8 : -0.3))));
    const y = rng.random() < p ? 1 : 0;
    gradHess[2 * i] = 0.2 - y; // at a constant score of logit(0.2)
    gradHess[2 * i + 1] = 0.16;
  }
  const matrix = new Matrix(X, ROWS, 6);
  const mapper = fitBinMapper(matrix, new Uint8Array(6), 255, 0, 'gate');
  return {
    name: `growTree ${ROWS} rows × 6 features, 31 leaves`,
    baseline: 'js',
    contender: 'native',
    minRatio: 25, // 60-99x in three quick runs (2026-12-07): room for this host's noise, not for a lost kernel
    async run(time: number) {
      const grower = async (choice: 'js' | 'native') => {
        const backend = await treeBackend(choice, 0, 'gate');
        const data = await binMatrix(backend, matrix, mapper);
        const scores = new Float64Array(ROWS);
        return () => growTree(backend, data, gradHess, 1, PARAMS, { scores, scoreStride: 1, scoreColumn: 0, scale: 0.1 });
      };
      const t = await measure({ js: await grower('js'), native: await grower('native') }, { time });
      return { baselineMs: t.js.medianMs, contenderMs: t.native.medianMs };
    },
  };
}
