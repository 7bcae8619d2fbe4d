/**
 * The gate's MLP check: one training epoch of the mlp bench's network (64-128-128-10, ReLU, Adam,
 * batch 256) on 2,048 rows, native against the js backend's loop — the native epoch's register
 * tiles, fused epilogues, packing and step, all of which #24 tuned.
 */
import { Rng } from '../src/index.js';
import { resolveKernels } from '../src/backend/select.js';
import { type MlpEpochArgs, mlpParamCount } from '../src/backend/contract/mlp.js';
import { measure } from './lib.js';

const ROWS = 2048,
  SIZES = [64, 128, 128, 10];

export function mlpEpochVersusJs() {
  const rng = new Rng(3);
  const x = Float32Array.from({ length: ROWS * SIZES[0] }, () => rng.normal());
  const labels = Int32Array.from({ length: ROWS }, () => rng.int(SIZES[3]));
  const count = mlpParamCount(SIZES);
  const start = Float32Array.from({ length: count }, () => (rng.random() * 2 - 1) * 0.1);
  const order = Int32Array.from({ length: ROWS }, (_, i) => i);
  /** Fresh arguments for one backend: its own copy of the weights and optimiser state. */
  const args = (): MlpEpochArgs => ({
    net: { sizes: Int32Array.from(SIZES), hidden: 'relu', output: 'softmax', params: start.slice() },
    data: { x, n: ROWS, labels, targets: null },
    order,
    batch: 256,
    dropout: 0,
    seed: 1,
    solver: 'adam',
    lr: 1e-3,
    alpha: 1e-4,
    weightDecay: 0,
    momentum: 0.9,
    nesterov: true,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    m: new Float32Array(count),
    v: new Float32Array(count),
    step: new Float64Array(1),
  });
  return {
    name: `MLP epoch ${ROWS} rows, 64-128-128-10, batch 256`,
    baseline: 'js',
    contender: 'native',
    // 141-256x in nine quick runs (2026-12-07), AVX2 tiles 156-190x, the scalar fallback 66-80x.
    minRatio: 100,
    async run(time: number) {
      const epoch = async (choice: 'js' | 'native') => {
        const { kernels } = await resolveKernels('mlp', choice, ROWS * SIZES[0], 'gate');
        const a = args();
        return () => kernels.epoch(a);
      };
      const t = await measure({ js: await epoch('js'), native: await epoch('native') }, { time });
      return { baselineMs: t.js.medianMs, contenderMs: t.native.medianMs };
    },
  };
}
